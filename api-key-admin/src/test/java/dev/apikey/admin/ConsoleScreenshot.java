package dev.apikey.admin;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.UsageCount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Makes the README's picture of a key's usage chart (not a test): the console on 127.0.0.1 over an in-memory store
 * seeded with 24 hours of a key's calls (granted by the hour of the day, a scope mistake in the morning, a burst
 * throttled in the afternoon, a few calls from outside the allow list), opened in headless Chromium as the browser
 * tests open it, the chart's panel saved as a PNG. Run by {@code scripts/console-screenshot}.
 */
public final class ConsoleScreenshot {

    private static final long MAX_BYTES = 150 * 1024;

    private ConsoleScreenshot() {
    }

    /**
     * Writes the picture.
     *
     * @param args the PNG's path (default {@code docs/images/usage-chart.png})
     * @throws Exception if the console, Chromium or the file fails
     */
    public static void main(String[] args) throws Exception {
        Path png = Path.of(args.length > 0 ? args[0] : "docs/images/usage-chart.png");
        InMemoryKeyStore store = new InMemoryKeyStore();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(AdminApiContract.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            String admin = apiKeys.create(KeySpec.builder("console admin").tenantId("92").scopes("keys:manage")
                    .build()).plaintext();
            IssuedKey crm = apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read").build());
            store.addUsage(day(crm.info().keyId(), Instant.now()));
            // One real call, so that the page says when the key was last used.
            apiKeys.verify(crm.plaintext(), "events:read");
            apiKeys.usage().flush();
            apiKeys.flushLastUsed();
            Server server = Jetty.start(context -> {
                context.addServlet(new ServletHolder(new AdminConsole("api-keys/", List.of(),
                        dev.apikey.ProblemTypes.DEFAULT_BASE, null)), "/admin/*");
                context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                        .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage")).build()), "/admin/api-keys/*");
            });
            Path profile = Files.createTempDirectory("apikey-screenshot");
            ChromeOptions options = new ChromeOptions().setBinary(ConsoleBrowserTest.CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1400,900", "--user-data-dir=" + profile);
            ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(ConsoleBrowserTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build(),
                    options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get("http://127.0.0.1:" + Jetty.port(server) + "/admin/");
                browser.findElement(By.id("signin-key")).sendKeys(admin);
                browser.findElement(By.id("signin-button")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-table")));
                browser.findElement(By.cssSelector("button[data-action='details'][data-key='" + crm.info().keyId()
                        + "']")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#details-usage svg.usage-chart")));
                WebElement panel = browser.findElement(By.id("details-usage"));
                browser.executeScript("arguments[0].scrollIntoView()", panel);
                byte[] bytes = panel.getScreenshotAs(OutputType.BYTES);
                if (bytes.length > MAX_BYTES) {
                    throw new IllegalStateException("the picture is " + bytes.length + " bytes, over " + MAX_BYTES);
                }
                Files.createDirectories(png.toAbsolutePath().getParent());
                Files.write(png, bytes);
                System.out.println("wrote " + png + " (" + bytes.length + " bytes)");
            } finally {
                browser.quit();
                server.stop();
            }
        }
    }

    /** The last 24 hours of one key, an hour at a time: what a busy integration's day looks like. */
    static List<UsageCount> day(String keyId, Instant now) {
        List<UsageCount> counts = new ArrayList<>();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        for (int h = 23; h >= 0; h--) {
            Instant at = hour.minus(Duration.ofHours(h)).plusSeconds(60);
            int hourOfDay = at.atZone(java.time.ZoneOffset.UTC).getHour();
            // Office hours in Europe carry most of it; nights a trickle.
            long granted = Math.round(60 + 420 * Math.max(0, Math.sin((hourOfDay - 6) * Math.PI / 14)));
            add(counts, at, keyId, "granted", granted);
            if (h >= 14 && h <= 16) {
                add(counts, at, keyId, "insufficient_scope", 35 + 10L * (16 - h));
            }
            if (h >= 5 && h <= 6) {
                add(counts, at, keyId, "rate_limited", 140 - 60L * (6 - h));
            }
            if (h % 7 == 3) {
                add(counts, at, keyId, "ip_not_allowed", 12);
            }
        }
        return counts;
    }

    private static void add(List<UsageCount> counts, Instant at, String keyId, String outcome, long n) {
        counts.add(new UsageCount(at, keyId, "92", outcome, n, 3));
    }
}
