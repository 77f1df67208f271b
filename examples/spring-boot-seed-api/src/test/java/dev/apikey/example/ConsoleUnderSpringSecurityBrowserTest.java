package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeyFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The key console of the Spring example in a real browser (headless Chromium: Debian's {@code chromium} and
 * {@code chromium-driver}), with Spring Security's CSRF protection on: an admin signs in through the login form,
 * then creates, edits and revokes a key. Every write carries the token from the XSRF-TOKEN cookie. Skipped, saying
 * why, where no Chromium is installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:seed;DB_CLOSE_DELAY=-1",
        "seed.admin-password=" + SeedApiApplicationTest.ADMIN_PASSWORD})
class ConsoleUnderSpringSecurityBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Held: a JUL logger's level lasts only as long as the logger. Quiet about Chromium's newer CDP version. */
    static final java.util.logging.Logger CDP = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @TempDir
    Path profile;

    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium: install Debian's chromium and chromium-driver (.ci/run does) to run the browser tests");
        CDP.setLevel(java.util.logging.Level.SEVERE);
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
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    WebElement row(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("#key-table tbody tr")).stream()
                .filter(r -> r.findElement(By.className("name")).getText().equals(name)).findFirst().orElse(null));
    }

    HttpResponse<String> events(String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("X-Api-Key", key).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAdminSignsInThenCreatesEditsAndRevokesAKey() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/admin/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(SeedApiApplicationTest.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type='submit']")).click();
        // Signed in by the host: the console opens without a management key.
        wait.until(ExpectedConditions.elementToBeClickable(By.id("signin-button"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-table")));
        assertThat(browser.manage().getCookieNamed("XSRF-TOKEN")).as("Spring Security's token cookie").isNotNull();

        browser.findElement(By.id("new-key")).click();
        browser.findElement(By.id("create-name")).sendKeys("crm-sync");
        browser.findElement(By.id("create-tenant")).sendKeys("92");
        browser.findElement(By.cssSelector("#create-scopes input[value='events:read']")).click();
        browser.findElement(By.id("create-submit")).click();
        WebElement secret = wait.until(d -> {
            WebElement error = d.findElement(By.id("error"));
            assertThat(error.isDisplayed()).as("the console's error: %s", error.getText()).isFalse();
            WebElement s = d.findElement(By.id("secret-value"));
            return s.isDisplayed() ? s : null;
        });
        String key = secret.getText();
        assertThat(KeyFormat.of("wlcro").parse(key)).as("a key was shown (%s characters)", key.length()).isPresent();
        assertThat(events(key).statusCode()).isEqualTo(200);
        browser.findElement(By.id("secret-done")).click();

        row("crm-sync").findElement(By.cssSelector("button[data-action='edit']")).click();
        WebElement name = browser.findElement(By.id("edit-name"));
        name.clear();
        name.sendKeys("crm-sync-eu");
        browser.findElement(By.cssSelector("#edit-scopes input[value='webhooks:write']")).click();
        browser.findElement(By.id("edit-submit")).click();
        wait.until(d -> row("crm-sync-eu").findElement(By.className("scopes")).getText()
                .equals("events:read webhooks:write"));
        assertThat(apiKeys.listAll()).anySatisfy(k -> {
            assertThat(k.attributes().name()).isEqualTo("crm-sync-eu");
            assertThat(k.attributes().scopes()).containsExactlyInAnyOrder("events:read", "webhooks:write");
        });

        row("crm-sync-eu").findElement(By.cssSelector("button[data-action='revoke']")).click();
        browser.findElement(By.id("revoke-submit")).click();
        wait.until(d -> row("crm-sync-eu").findElement(By.className("status")).getText().equals("revoked"));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(events(key).body())
                .as("refused after the revoke").contains("\"code\":\"revoked_api_key\""));
        assertThat(browser.findElement(By.id("error")).isDisplayed()).as("no write was refused").isFalse();
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Signed in as user:admin");
        assertThat(browser.findElement(By.id("tenants")).getText()).isEqualTo("all tenants");

        // Sign out: Spring Security's POST /logout with the CSRF token; the page again asks for the login.
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        browser.get("http://127.0.0.1:" + port + "/admin/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    }
}
