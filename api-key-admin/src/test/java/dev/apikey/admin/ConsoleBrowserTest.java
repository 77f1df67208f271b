package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs) against Jetty serving the console, the admin API and a seed endpoint that needs
 * {@code events:read}. Skipped, saying why, where no Chromium is installed. Screenshots go to
 * {@code target/screenshots/}.
 */
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create()).build();
    final HttpClient http = HttpClient.newHttpClient();
    Server server;
    String base;
    ChromeDriver browser;
    WebDriverWait wait;
    String admin;

    @TempDir
    Path profile;

    /** The seed API's events endpoint: 200 with a key holding events:read, 401 otherwise. */
    final class Events extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(apiKeys.verify(req.getHeader("X-Api-Key"), "events:read").isGranted() ? 200 : 401);
        }
    }

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium: install Debian's chromium and chromium-driver (.ci/run does) to run the browser tests");
        server = Jetty.start(context -> {
            context.addServlet(new ServletHolder(new AdminConsole("api-keys/")), "/admin/*");
            context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                    .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage")).build()), "/admin/api-keys/*");
            context.addServlet(new ServletHolder(new Events()), "/api/v1/events");
        });
        base = "http://127.0.0.1:" + Jetty.port(server);
        // The scopes it grants to the keys it creates through the console: no more than it holds.
        admin = apiKeys.create(KeySpec.builder("console admin").tenantId("92")
                .scopes("keys:manage", "events:read", "webhooks:write").build()).plaintext();

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        // The table is re-rendered after every change: a row read while that happens is read again.
        wait.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
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

    WebElement row(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("#key-table tbody tr")).stream()
                .filter(r -> r.findElement(By.className("name")).getText().equals(name)).findFirst().orElse(null));
    }

    String shownSecret() {
        WebElement secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-value")));
        String key = secret.getText();
        assertThat(KeyFormat.of("wlcro").parse(key)).as("a key of this prefix: %s", key.length()).isPresent();
        return key;
    }

    int events(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("X-Api-Key", key)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void createAKeyUseItThenRevokeItInThePage() throws Exception {
        // Keys like a tenant's, for the screenshots: one due for rotation, one of staging, one revoked.
        apiKeys.create(KeySpec.builder("zapier-prod").tenantId("92").scopes("events:read", "webhooks:write")
                .environment("prod").owner("team-crm").rotateBy(java.time.Instant.now().minus(Duration.ofDays(3)))
                .build());
        apiKeys.create(KeySpec.builder("staging-sync").tenantId("92").scopes("events:read").environment("staging")
                .owner("alice@example.com").expiresAt(java.time.Instant.now().plus(Duration.ofDays(90))).build());
        apiKeys.revoke(apiKeys.create(KeySpec.builder("old-export").tenantId("92").scopes("events:read").build())
                .info().keyId());
        signIn();
        screenshot("list");
        browser.findElement(By.id("new-key")).click();
        browser.findElement(By.id("create-name")).sendKeys("crm-sync");
        assertThat(browser.findElement(By.id("create-tenant")).getAttribute("value")).as("prefilled").isEqualTo("92");
        browser.findElement(By.cssSelector("#create-scopes input[value='events:read']")).click();
        screenshot("create");
        browser.findElement(By.id("create-submit")).click();

        String key = shownSecret();
        assertThat(browser.findElement(By.id("secret-dialog")).getText()).contains("you will not see this key again");
        screenshot("show-once");
        assertThat(events(key)).isEqualTo(200);
        browser.findElement(By.id("secret-done")).click();
        assertThat(browser.findElement(By.id("secret-value")).getText()).as("dropped when closed").isEmpty();

        row("crm-sync").findElement(By.cssSelector("button[data-action='revoke']")).click();
        assertThat(browser.findElement(By.id("revoke-what")).getText()).contains("crm-sync").contains("wlcro_92_");
        browser.findElement(By.id("revoke-submit")).click();
        wait.until(d -> row("crm-sync").findElement(By.className("status")).getText().equals("revoked"));
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        int status = events(key);
        while (status != 401 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            status = events(key);
        }
        assertThat(status).as("refused within a second of the revoke").isEqualTo(401);
    }

    @Test
    void rotateWithAnHourOfOverlapAndBothKeysWork() throws Exception {
        String old = apiKeys.create(KeySpec.builder("zapier").tenantId("92").scopes("events:read").build()).plaintext();
        signIn();
        row("zapier").findElement(By.cssSelector("button[data-action='rotate']")).click();
        browser.findElement(By.cssSelector("#rotate-form input[value='3600']")).click();
        screenshot("rotate");
        browser.findElement(By.id("rotate-submit")).click();

        String fresh = shownSecret();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(events(fresh)).isEqualTo(200);
        assertThat(events(old)).as("the old key during the overlap").isEqualTo(200);
        browser.findElement(By.id("secret-done")).click();
        List<String> statuses = browser.findElements(By.cssSelector("#key-table tbody tr")).stream()
                .filter(r -> r.findElement(By.className("name")).getText().equals("zapier"))
                .map(r -> r.findElement(By.className("status")).getText()).sorted().toList();
        assertThat(statuses).containsExactly("active", "expiring");
    }

    @Test
    void disableThenEnableAKeyAndSeeWhatExpiresSoon() throws Exception {
        String key = apiKeys.create(KeySpec.builder("nightly-export").tenantId("92").scopes("events:read").build())
                .plaintext();
        apiKeys.create(KeySpec.builder("expires-soon").tenantId("92").scopes("events:read").owner("team-crm")
                .expiresAt(java.time.Instant.now().plus(Duration.ofDays(3))).build());
        apiKeys.create(KeySpec.builder("far-away").tenantId("92").scopes("events:read")
                .expiresAt(java.time.Instant.now().plus(Duration.ofDays(300))).build());
        signIn();

        assertThat(row("expires-soon").findElement(By.className("expires")).getText()).contains("expires in 3 days");
        assertThat(row("far-away").findElements(By.className("due"))).isEmpty();
        browser.findElement(By.id("filter-expiring")).click();
        browser.findElement(By.cssSelector("#filters button[type='submit']")).click();
        wait.until(d -> d.findElements(By.cssSelector("#key-table tbody tr")).size() == 1);
        assertThat(row("expires-soon")).isNotNull();
        screenshot("expiring");
        browser.findElement(By.id("filter-expiring")).click();
        browser.findElement(By.cssSelector("#filters button[type='submit']")).click();

        row("nightly-export").findElement(By.cssSelector("button[data-action='disable']")).click();
        wait.until(d -> row("nightly-export").findElement(By.className("status")).getText().equals("disabled"));
        assertThat(events(key)).as("refused at once").isEqualTo(401);
        screenshot("disabled");
        row("nightly-export").findElement(By.cssSelector("button[data-action='enable']")).click();
        wait.until(d -> row("nightly-export").findElement(By.className("status")).getText().equals("active"));
        assertThat(events(key)).isEqualTo(200);
    }

    @Test
    void aNameThatLooksLikeMarkupShowsAsText() throws Exception {
        String name = "<img src=x onerror=alert(1)>";
        apiKeys.create(KeySpec.builder(name).tenantId("92").scopes("events:read").build());
        signIn();

        assertThat(row(name).findElement(By.className("name")).getText()).isEqualTo(name);
        assertThat(browser.findElements(By.cssSelector("#key-table img"))).isEmpty();
        boolean alerted;
        try {
            browser.switchTo().alert();
            alerted = true;
        } catch (NoAlertPresentException e) {
            alerted = false;
        }
        assertThat(alerted).isFalse();
    }

    @Test
    void aKeyCanBeCreatedWithTheKeyboardAlone() throws Exception {
        browser.get(base + "/admin/");
        WebElement signin = browser.findElement(By.id("signin-key"));
        signin.sendKeys(admin, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-table")));
        // Focus lands in the search box; Tab through the filters to "Create key".
        Actions keys = new Actions(browser);
        WebElement focused = browser.switchTo().activeElement();
        for (int i = 0; i < 10 && !"new-key".equals(focused.getAttribute("id")); i++) {
            keys.sendKeys(Keys.TAB).perform();
            focused = browser.switchTo().activeElement();
        }
        assertThat(focused.getAttribute("id")).isEqualTo("new-key");
        keys.sendKeys(Keys.ENTER).perform();
        // The tenant is prefilled: the caller manages tenant 92 only.
        keys.sendKeys("keyboard-only").sendKeys(Keys.TAB).sendKeys(Keys.TAB).perform();
        // The first scope of the catalog, events:read, has focus: Space ticks it; Enter in a field submits.
        keys.sendKeys(Keys.SPACE).perform();
        browser.findElement(By.id("create-name")).sendKeys(Keys.ENTER);

        String key = shownSecret();
        assertThat(events(key)).isEqualTo(200);
        keys.sendKeys(Keys.TAB).sendKeys(Keys.ENTER).perform();
        assertThat(row("keyboard-only").findElement(By.className("status")).getText()).isEqualTo("active");
    }
}
