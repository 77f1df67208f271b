package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apikey.ApiKeyInfo;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.KeySpec;
import dev.apikey.hash.Sha256Hasher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console a team runs on (issue 31 §2), in headless Chromium against Jetty: every key paged through, sorted by
 * column and filtered by the API; who is signed in, for which tenant, and signing out; refusals beside their field
 * in the dialog; every attribute set, edited and shown; a rotation's links both ways; dates that do not wrap and
 * the icon. Skipped, saying why, where no Chromium is installed (as {@link ConsoleBrowserTest}).
 */
class ConsoleTeamBrowserTest {

    final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create()).build();
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
        admin = apiKeys.create(KeySpec.builder("console admin").tenantId("92").scopes("keys:manage").build())
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

    @Test
    void everyKeyIsPagedThroughSortedByColumnAndFilteredByTheApi() throws Exception {
        start(null);
        for (int i = 0; i < 260; i++) {
            apiKeys.create(KeySpec.builder(String.format("key-%03d", i)).tenantId("92").scopes("events:read")
                    .build());
        }
        signIn();
        List<String> expected = new ArrayList<>();
        expected.add("console admin");
        for (int i = 0; i < 260; i++) {
            expected.add(String.format("key-%03d", i));
        }
        expected.sort(null);

        assertThat(allPages()).as("by name, ascending, every page").containsExactlyElementsOf(expected);
        assertThat(browser.findElement(By.id("page-number")).getText()).isEqualTo("Page 6");
        clickAndReload(By.id("page-previous"));
        assertThat(names().get(0)).isEqualTo(expected.get(200));

        clickAndReload(By.cssSelector("th[data-sort='name'] button"));
        assertThat(browser.findElement(By.cssSelector("th[data-sort='name']")).getAttribute("aria-sort"))
                .isEqualTo("descending");
        assertThat(browser.findElement(By.id("page-number")).getText()).isEqualTo("Page 1");
        assertThat(names().subList(0, 3)).containsExactly("key-259", "key-258", "key-257");

        clickAndReload(By.cssSelector("th[data-sort='created'] button"));
        assertThat(names().get(0)).as("the oldest first").isEqualTo("console admin");

        browser.findElement(By.id("filter-name")).sendKeys("KEY-25");
        clickAndReload(By.cssSelector("#filters button[type='submit']"));
        // Still sorted by creation (the last header clicked): the same time for many, then by key id.
        assertThat(allPages()).containsExactlyInAnyOrder("key-250", "key-251", "key-252", "key-253", "key-254",
                "key-255", "key-256", "key-257", "key-258", "key-259");
        apiKeys.disable(apiKeys.list(dev.apikey.KeyQuery.tenant("92").nameContains("key-253")).get(0).keyId());
        new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("disabled");
        clickAndReload(By.cssSelector("#filters button[type='submit']"));
        assertThat(names()).containsExactly("key-253");
    }

    @Test
    void theSignedInCallerAndTenantAreShownPrefilledAndSignOutForgetsTheKey() throws Exception {
        start(null);
        signIn();
        String keyHint = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();

        assertThat(browser.findElement(By.id("who")).getText()).startsWith("Signed in as key:").contains(keyHint);
        assertThat(browser.findElement(By.id("tenants")).getText()).isEqualTo("tenant 92");
        browser.findElement(By.id("new-key")).click();
        assertThat(browser.findElement(By.id("create-tenant")).getAttribute("value")).isEqualTo("92");
        browser.findElement(By.cssSelector("#create-dialog button.cancel")).click();

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-key")));
        assertThat(browser.findElement(By.id("keys")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("identity")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#key-table tbody tr"))).isEmpty();
        assertThat(signOuts).as("no host sign-out configured").isEmpty();
    }

    @Test
    void signOutPostsToTheHostsSignOutWithTheCsrfTokenAndReloads() throws Exception {
        start("/logout");
        signIn();
        browser.manage().addCookie(new org.openqa.selenium.Cookie("XSRF-TOKEN", "t0k3n"));

        browser.findElement(By.id("sign-out")).click();

        wait.until(d -> !signOuts.isEmpty());
        assertThat(signOuts).containsExactly("t0k3n");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-key")));
        assertThat(browser.findElement(By.id("keys")).isDisplayed()).isFalse();
    }

    @Test
    void aRefusalIsShownInItsDialogBesideTheFieldItNames() throws Exception {
        start(null);
        apiKeys.create(KeySpec.builder("zapier").tenantId("92").scopes("events:read").build());
        signIn();
        browser.findElement(By.id("new-key")).click();
        browser.findElement(By.id("create-name")).sendKeys("bad-address");
        browser.findElement(By.cssSelector("#create-scopes input[value='events:read']")).click();
        browser.findElement(By.id("create-addresses")).sendKeys("not-a-cidr");
        browser.findElement(By.id("create-submit")).click();

        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#create-dialog .field-error[data-for='allowed_addresses']")));
        assertThat(message.getText()).contains("allowed_addresses");
        assertThat(browser.findElement(By.id("create-dialog")).isDisplayed()).as("the dialog stays open").isTrue();
        assertThat(browser.findElement(By.id("create-addresses")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).as("nothing behind the dialog").isFalse();
        assertThat(apiKeys.list(dev.apikey.KeyQuery.tenant("92").nameContains("bad-address"))).isEmpty();
        browser.findElement(By.cssSelector("#create-dialog button.cancel")).click();

        // A refusal that names no field: at the top of the dialog.
        row("zapier").findElement(By.cssSelector("button[data-action='rotate']")).click();
        apiKeys.revoke(apiKeys.list(dev.apikey.KeyQuery.tenant("92").nameContains("zapier")).get(0).keyId());
        browser.findElement(By.id("rotate-submit")).click();
        WebElement top = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#rotate-dialog .dialog-error")));
        assertThat(top.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("rotate-dialog")).isDisplayed()).isTrue();
    }

    @Test
    void everyAttributeIsSetOnCreateEditedAndShown() throws Exception {
        start(null);
        signIn();
        browser.findElement(By.id("new-key")).click();
        browser.findElement(By.id("create-name")).sendKeys("billing-sync");
        browser.findElement(By.cssSelector("#create-scopes input[value='events:read']")).click();
        setDate("create-expires", "2031-05-01");
        setDate("create-rotate-by", "2030-11-01");
        browser.findElement(By.id("create-environment")).sendKeys("prod");
        browser.findElement(By.id("create-owner")).sendKeys("team-billing");
        browser.findElement(By.id("create-addresses")).sendKeys("10.0.0.0/8\n192.168.1.0/24");
        browser.findElement(By.id("create-metadata")).sendKeys("ticket=OPS-12\ncost_center=42");
        addAllowance("create", "burst", "rate", "10", "1");
        addAllowance("create", "daily", "quota", "5000", "day");
        browser.findElement(By.id("create-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-value")));
        browser.findElement(By.id("secret-done")).click();

        ApiKeyInfo created = apiKeys.list(dev.apikey.KeyQuery.tenant("92").nameContains("billing-sync")).get(0);
        KeySpec a = created.attributes();
        assertThat(a.tenantId()).contains("92");
        assertThat(a.expiresAt()).contains(Instant.parse("2031-05-01T00:00:00Z"));
        assertThat(a.rotateBy()).contains(Instant.parse("2030-11-01T00:00:00Z"));
        assertThat(a.environment()).contains("prod");
        assertThat(a.owner()).contains("team-billing");
        assertThat(a.allowedAddresses()).containsExactly("10.0.0.0/8", "192.168.1.0/24");
        assertThat(a.metadata()).containsEntry("ticket", "OPS-12").containsEntry("cost_center", "42");
        assertThat(a.allowances()).extracting(dev.apikey.Allowance::name).containsExactlyInAnyOrder("burst", "daily");

        row("billing-sync").findElement(By.cssSelector("button[data-action='details']")).click();
        String shown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("details-list"))).getText();
        assertThat(shown).contains("2031-05-01", "2030-11-01", "prod", "team-billing", "10.0.0.0/8, 192.168.1.0/24",
                "burst: 10 per 1 s", "daily: 5000 per day", "ticket=OPS-12", "wlcro_92_");
        browser.findElement(By.id("details-close")).click();

        row("billing-sync").findElement(By.cssSelector("button[data-action='edit']")).click();
        WebElement owner = browser.findElement(By.id("edit-owner"));
        assertThat(owner.getAttribute("value")).isEqualTo("team-billing");
        owner.clear();
        owner.sendKeys("team-crm");
        WebElement addresses = browser.findElement(By.id("edit-addresses"));
        addresses.clear();
        addresses.sendKeys("10.0.0.0/8");
        setDate("edit-expires", "");
        browser.findElements(By.cssSelector("#edit-allowances .allowance")).get(0)
                .findElement(By.tagName("button")).click();
        browser.findElement(By.id("edit-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("edit-dialog")));

        KeySpec edited = apiKeys.get(created.keyId()).orElseThrow().attributes();
        assertThat(edited.owner()).contains("team-crm");
        assertThat(edited.allowedAddresses()).containsExactly("10.0.0.0/8");
        assertThat(edited.expiresAt()).as("cleared").isEmpty();
        assertThat(edited.allowances()).hasSize(1);
        assertThat(edited.environment()).as("untouched").contains("prod");
        assertThat(edited.metadata()).as("untouched").containsEntry("ticket", "OPS-12");
    }

    void setDate(String id, String isoDay) {
        // A date input's keyboard entry depends on the locale; the value is set as a user's pick would set it.
        browser.executeScript("arguments[0].value = arguments[1]", browser.findElement(By.id(id)), isoDay);
    }

    void addAllowance(String dialog, String name, String kind, String limit, String period) {
        browser.findElement(By.cssSelector("#" + dialog + "-allowances .add-allowance")).click();
        List<WebElement> rows = browser.findElements(By.cssSelector("#" + dialog + "-allowances .allowance"));
        WebElement row = rows.get(rows.size() - 1);
        row.findElement(By.className("allowance-name")).sendKeys(name);
        new Select(row.findElement(By.className("allowance-kind"))).selectByValue(kind);
        row.findElement(By.className("allowance-limit")).sendKeys(limit);
        if (kind.equals("rate")) {
            WebElement seconds = row.findElement(By.className("allowance-seconds"));
            seconds.clear();
            seconds.sendKeys(period);
        } else {
            new Select(row.findElement(By.className("allowance-period"))).selectByValue(period);
        }
    }

    @Test
    void aReplacedKeyLinksToItsSuccessorAndTheSuccessorBack() throws Exception {
        start(null);
        String oldId = apiKeys.create(KeySpec.builder("zapier").tenantId("92").scopes("events:read").build()).info()
                .keyId();
        String newId = apiKeys.rotate(oldId, Duration.ofHours(1)).info().keyId();
        signIn();
        WebElement old = wait.until(d -> d.findElements(By.cssSelector("#key-table tbody tr")).stream()
                .filter(r -> r.getAttribute("data-key").equals(oldId)).findFirst().orElse(null));
        old.findElement(By.cssSelector("button[data-action='details']")).click();

        WebElement successor = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#details-successor button")));
        assertThat(successor.getText()).isEqualTo(newId);
        successor.click();
        WebElement back = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#details-predecessor button")));
        assertThat(browser.findElement(By.id("details-list")).getText()).contains("wlcro_92_" + newId);
        assertThat(back.getText()).contains(oldId);
        back.click();
        wait.until(d -> d.findElement(By.id("details-list")).getText().contains("wlcro_92_" + oldId));
        assertThat(browser.findElements(By.cssSelector("#details-successor button"))).hasSize(1);
    }

    @Test
    void datesDoNotWrapInANarrowWindowAndTheIconIsServed() throws Exception {
        start(null);
        apiKeys.create(KeySpec.builder("a key with a rather long name that takes room").tenantId("92")
                .scopes("events:read", "webhooks:write").environment("production").owner("someone@example.com")
                .expiresAt(Instant.now().plus(Duration.ofDays(200))).build());
        signIn();
        browser.manage().window().setSize(new Dimension(600, 900));

        for (String column : List.of("created", "expires")) {
            WebElement date = browser.findElement(By.cssSelector("#key-table tbody tr td." + column));
            assertThat(date.getCssValue("white-space")).as(column).isEqualTo("nowrap");
            assertThat(date.getAttribute("title")).as(column).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            Object lines = browser.executeScript("const r = document.createRange(); "
                    + "r.selectNodeContents(arguments[0].firstChild); return r.getClientRects().length;", date);
            assertThat(((Number) lines).intValue()).as(column + " on one line").isEqualTo(1);
        }

        HttpClient http = HttpClient.newHttpClient();
        for (String icon : List.of("/admin/favicon.ico", "/admin/favicon.svg")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + icon))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(icon).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("image/svg+xml"));
            assertThat(r.body()).startsWith("<svg");
        }
        Object status = browser.executeAsyncScript("const done = arguments[0]; "
                + "fetch(document.querySelector('link[rel=icon]').href).then(r => done(r.status), e => done(0));");
        assertThat(((Number) status).intValue()).as("the page's icon, fetched under the page's CSP").isEqualTo(200);
    }
}
