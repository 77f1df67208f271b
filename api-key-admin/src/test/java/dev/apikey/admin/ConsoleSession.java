package dev.apikey.admin;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A console in headless Chromium against Jetty, for the console's browser tests: the console (with a sign-out
 * path or none), the admin API for keys holding {@code keys:manage}, and a host sign-out that records the CSRF header
 * it was posted with. Each test calls {@link #start}; where no Chromium is installed it skips, saying why.
 */
abstract class ConsoleSession {

    /** The console's store, where a test may open an anomaly the detection would need days of counts for. */
    final InMemoryKeyStore store = new InMemoryKeyStore();
    /** The keys' clock: the system's, unless a test sets it back to do something hours ago. */
    final OffsetClock clock = new OffsetClock();
    final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).clock(clock)
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create())
            // Issue 27 §3: the detection runs when a test asks (detectNow), the scheduled run an hour away.
            .anomalyDetection(dev.apikey.AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))).build();
    final List<String> signOuts = new CopyOnWriteArrayList<>();
    Server server;
    String base;
    ChromeDriver browser;
    WebDriverWait wait;
    String admin;

    @TempDir
    Path profile;

    /** The host's sign-out: records the CSRF header it was posted with. */
    final class SignOut extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
            signOuts.add(String.valueOf(req.getHeader("X-XSRF-TOKEN")));
            resp.setStatus(204);
        }
    }

    /** The system clock moved by an offset: {@link #at} makes it read an instant now, and it runs on from there. */
    static final class OffsetClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        /** Makes the clock read {@code instant} now; {@code at(Instant.now())} puts it back on the system's time. */
        void at(Instant instant) {
            offset = Duration.between(Instant.now(), instant);
        }

        void reset() {
            offset = Duration.ZERO;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }

    void start(String signOutPath) throws Exception {
        assumeTrue(Files.isExecutable(ConsoleBrowserTest.CHROMIUM) && Files.isExecutable(ConsoleBrowserTest.CHROMEDRIVER),
                "no Chromium: install Debian's chromium and chromium-driver (.ci/run does) to run the browser tests");
        server = Jetty.start(context -> {
            context.addServlet(new ServletHolder(new AdminConsole("api-keys/", List.of(),
                    dev.apikey.ProblemTypes.DEFAULT_BASE, signOutPath)), "/admin/*");
            context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                    .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage")).build()), "/admin/api-keys/*");
            context.addServlet(new ServletHolder(new SignOut()), "/logout");
        });
        base = "http://127.0.0.1:" + Jetty.port(server);
        // The scopes it grants to the keys it creates through the console: no more than it holds.
        admin = apiKeys.create(KeySpec.builder("console admin").tenantId("92")
                .scopes("keys:manage", "events:read", "webhooks:write").build())
                .plaintext();
        ChromeOptions options = new ChromeOptions().setBinary(ConsoleBrowserTest.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1400,900", "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(ConsoleBrowserTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
        apiKeys.close();
    }

    void signIn() {
        browser.get(base + "/admin/");
        browser.findElement(By.id("signin-key")).sendKeys(admin);
        browser.findElement(By.id("signin-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-table")));
    }

    List<String> names() {
        return browser.findElements(By.cssSelector("#key-table tbody td.name")).stream().map(WebElement::getText)
                .toList();
    }

    WebElement row(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("#key-table tbody tr")).stream()
                .filter(r -> r.findElement(By.className("name")).getText().equals(name)).findFirst().orElse(null));
    }

    /** Clicks and waits for the table to be rendered again (its first row replaced). */
    void clickAndReload(By by) {
        WebElement first = browser.findElement(By.cssSelector("#key-table tbody tr"));
        browser.findElement(by).click();
        wait.until(ExpectedConditions.stalenessOf(first));
    }

    /** Every name, page after page with "Next" until it is disabled; at most 20 pages. */
    List<String> allPages() {
        List<String> seen = new ArrayList<>(names());
        for (int i = 0; i < 20 && browser.findElement(By.id("page-next")).isEnabled(); i++) {
            clickAndReload(By.id("page-next"));
            seen.addAll(names());
        }
        return seen;
    }
}
