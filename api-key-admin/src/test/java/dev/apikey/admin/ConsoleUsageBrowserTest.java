package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.IssuedKey;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.UsageCount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A key's usage chart in headless Chromium under the console's CSP: its bars carry the numbers the API answers, the
 * legend names granted and each refusal kind with its total (and a pattern, so no colour is needed), the ranges
 * switch, and a rotated key's page says whether it was granted since its rotation. The chart is saved to
 * {@code target/screenshots/usage.png}.
 */
class ConsoleUsageBrowserTest extends ConsoleSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/admin/api-keys/" + path)).header("Authorization", "Bearer " + admin)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private WebElement openDetails(String keyId) {
        browser.findElement(By.cssSelector("button[data-action='details'][data-key='" + keyId + "']")).click();
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#details-usage svg.usage-chart")));
    }

    /**
     * Issue 27's audit: a replaced key's note counts only grants, and only in the buckets after the rotation's (the
     * successor's creation): calls made before the rotation, and wrong secrets anybody can send naming the key id, do
     * not make it "still used". The rotations happen hours ago by the keys' clock, so that the hour buckets after them
     * lie in the console's range.
     */
    @Test
    void aKeysChartHasTheApisNumbersAndARotatedKeySaysWhetherItIsUsedSince() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        clock.at(hour.minus(Duration.ofHours(5)).plus(Duration.ofMinutes(30)));
        start(null);
        IssuedKey crm = apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read").build());
        IssuedKey billing = apiKeys.create(KeySpec.builder("billing").tenantId("92").scopes("events:read").build());
        IssuedKey noisy = apiKeys.create(KeySpec.builder("noisy").tenantId("92").scopes("events:read").build());
        for (int i = 0; i < 5; i++) {
            apiKeys.verify(crm.plaintext(), "events:read");
        }
        apiKeys.verify(crm.plaintext(), "webhooks:write");
        apiKeys.verify(crm.plaintext(), "webhooks:write");
        apiKeys.verify(billing.plaintext(), "events:read");
        apiKeys.usage().flush();
        // Two hours later, the rotations; billing is used once more in the hour of its rotation, after it.
        clock.at(hour.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(30)));
        IssuedKey crmNext = apiKeys.rotate(crm.info().keyId(), Duration.ofDays(7));
        String successor = crmNext.info().keyId();
        Instant rotated = crmNext.info().createdAt();
        IssuedKey billingNext = apiKeys.rotate(billing.info().keyId(), Duration.ofDays(7));
        String billingSuccessor = billingNext.info().keyId();
        Instant billingRotated = billingNext.info().createdAt();
        apiKeys.verify(billing.plaintext(), "events:read");
        apiKeys.usage().flush();
        clock.reset();
        // A key with nine series (granted and eight refusal kinds, one of the host's own): nine styles.
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<String> outcomes = List.of("granted", "insufficient_scope", "invalid_api_key", "ip_not_allowed",
                "rate_limited", "quota_exceeded", "disabled_api_key", "tenant_mismatch", "plan_without_api_access");
        List<UsageCount> counts = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            counts.add(new UsageCount(minute, noisy.info().keyId(), "92", outcomes.get(i), 20 - i, 0));
        }
        store.addUsage(counts);
        signIn();
        String id = crm.info().keyId();

        WebElement chart = openDetails(id);

        JsonNode usage = api("keys/" + id + "/usage");
        Map<String, long[]> apiPoints = new HashMap<>();
        for (JsonNode p : usage.path("points")) {
            apiPoints.put(p.path("start").asText(), new long[] {p.path("calls").asLong(), p.path("granted").asLong(),
                p.path("refused").asLong()});
        }
        List<WebElement> bars = chart.findElements(By.cssSelector("g.bar"));
        assertThat(bars.size()).as("a bar per bucket, as the API's points (its range ends a moment later)")
                .isBetween(usage.path("points").size() - 1, usage.path("points").size() + 1);
        long drawn = 0;
        for (WebElement bar : bars) {
            long calls = Long.parseLong(bar.getAttribute("data-calls"));
            drawn += calls;
            if (calls > 0) {
                long[] expected = apiPoints.get(bar.getAttribute("data-start"));
                assertThat(expected).as("a bucket the API has: " + bar.getAttribute("data-start")).isNotNull();
                assertThat(new long[] {calls, Long.parseLong(bar.getAttribute("data-granted")),
                    Long.parseLong(bar.getAttribute("data-refused"))}).containsExactly(expected);
            }
        }
        assertThat(drawn).isEqualTo(usage.path("calls").asLong()).isEqualTo(7);
        assertThat(browser.findElements(By.cssSelector("#details-usage .usage-legend li"))).extracting(WebElement::getText)
                .containsExactly("granted: 5", "insufficient_scope: 2");
        assertThat(chart.findElements(By.cssSelector("rect[data-outcome='insufficient_scope']")))
                .allSatisfy(r -> assertThat(r.getAttribute("fill")).as("a pattern, not a colour alone").startsWith("url(#"));
        assertThat(note()).as("seven calls, every one before the rotation")
                .isEqualTo("Replaced by " + successor + " on " + rotated + "; not used since.");
        Files.createDirectories(ConsoleBrowserTest.SCREENSHOTS);
        WebElement panel = browser.findElement(By.id("details-usage"));
        browser.executeScript("arguments[0].scrollIntoView()", panel);
        Files.write(ConsoleBrowserTest.SCREENSHOTS.resolve("usage.png"), panel.getScreenshotAs(OutputType.BYTES));

        // Used after the rotation: two grants; three wrong secrets and an out-of-scope call do not count.
        apiKeys.verify(crm.plaintext(), "events:read");
        apiKeys.verify(crm.plaintext(), "events:read");
        int token = crm.plaintext().length() - KeyFormat.TOKEN_LENGTH;
        String body = crm.plaintext().substring(0, token + KeyFormat.KEY_ID_LENGTH) + "x".repeat(KeyFormat.SECRET_LENGTH);
        String wrongSecret = body + KeyFormat.checksum(body);
        for (int i = 0; i < 3; i++) {
            assertThat(apiKeys.verify(wrongSecret, "events:read").failure()).contains(Failure.INVALID_API_KEY);
        }
        apiKeys.verify(crm.plaintext(), "webhooks:write");
        apiKeys.usage().flush();
        String lastGrant = null;
        for (JsonNode p : api("keys/" + id + "/usage").path("points")) {
            if (p.path("granted").asLong() > 0) {
                lastGrant = p.path("start").asText();
            }
        }
        browser.findElement(By.xpath("//div[@class='usage-ranges']/button[text()='Last 24 hours']")).click();
        wait.until(d -> note().contains("still used"));
        assertThat(note()).isEqualTo("Replaced by " + successor + " on " + rotated
                + "; still used since: 2 granted calls, the last in the hour from " + lastGrant + ".");

        browser.findElement(By.xpath("//div[@class='usage-ranges']/button[text()='Last 30 days']")).click();
        wait.until(d -> "Last 30 days".equals(d.findElement(By.cssSelector("#details-usage .usage-body"))
                .getAttribute("data-range")));
        List<WebElement> days = browser.findElements(By.cssSelector("#details-usage svg.usage-chart g.bar"));
        assertThat(days).hasSizeBetween(30, 31);
        assertThat(days.stream().mapToLong(b -> Long.parseLong(b.getAttribute("data-calls"))).sum()).isEqualTo(13);
        browser.findElement(By.id("details-close")).click();

        // Billing was granted after its rotation, in the rotation's hour: hour counts cannot tell that from before it.
        openDetails(billing.info().keyId());
        String billingNote = wait.until(d -> note().isEmpty() ? null : note());
        assertThat(billingNote).isEqualTo("Replaced by " + billingSuccessor
                + " on " + billingRotated + "; not used after the hour of the rotation (that hour, from "
                + billingRotated.truncatedTo(ChronoUnit.HOURS) + ": 1 granted call, before or after the rotation).");
        browser.findElement(By.id("details-close")).click();

        // Every series of the chart and the legend has a style of its own: pattern, shade and tile size.
        WebElement noisyChart = openDetails(noisy.info().keyId());
        Set<String> styles = new HashSet<>();
        for (String outcome : outcomes) {
            styles.add(styleOf(noisyChart, noisyChart.findElement(By.cssSelector("rect[data-outcome='" + outcome
                    + "']"))));
        }
        assertThat(styles).as("a style per series").hasSize(outcomes.size());
        Set<String> swatches = new HashSet<>();
        for (WebElement item : browser.findElements(By.cssSelector("#details-usage .usage-legend li"))) {
            WebElement swatch = item.findElement(By.tagName("svg"));
            swatches.add(styleOf(swatch, swatch.findElement(By.xpath("./*[local-name()='rect']"))));
        }
        assertThat(swatches).as("the legend's swatches as the chart's").isEqualTo(styles);
    }

    private String note() {
        List<WebElement> notes = browser.findElements(By.cssSelector("#details-usage .usage-rotation"));
        return notes.isEmpty() ? "" : notes.get(0).getText();
    }

    /** A rect's look: its solid fill, or its pattern's kind, shade and tile size. */
    private static String styleOf(WebElement svg, WebElement rect) {
        String fill = rect.getAttribute("fill");
        if (!fill.startsWith("url(#")) {
            return "solid " + fill;
        }
        WebElement pattern = svg.findElement(By.id(fill.substring(5, fill.length() - 1)));
        return pattern.getAttribute("data-pattern") + " " + pattern.getAttribute("data-shade") + " "
                + pattern.getAttribute("width");
    }

    @Test
    void theTenantOverviewShowsTotalsTheRefusalRateAndTheBusiestKeys() throws Exception {
        start(null);
        IssuedKey crm = apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read").build());
        for (int i = 0; i < 5; i++) {
            apiKeys.verify(crm.plaintext(), "events:read");
        }
        for (int i = 0; i < 3; i++) {
            apiKeys.verify(crm.plaintext(), "webhooks:write");
        }
        apiKeys.usage().flush();
        signIn();

        WebElement overview = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("usage-overview")));
        wait.until(d -> !d.findElements(By.cssSelector("#usage-overview svg.usage-chart")).isEmpty());

        // The console's own calls verify the admin key of tenant 92 too, and are written every 10 s: the crm key's
        // row is fixed, the tenant's totals only bounded.
        WebElement row = overview.findElement(By.cssSelector("table.usage-top tr[data-key-id='" + crm.info().keyId()
                + "']"));
        assertThat(row.findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly(crm.info().keyId(), "8", "5", "3");
        WebElement refused = overview.findElements(By.cssSelector("table.usage-top")).get(1);
        assertThat(refused.findElement(By.tagName("caption")).getText()).isEqualTo("Keys with the most refusals");
        assertThat(refused.findElements(By.cssSelector("tr[data-key-id]")).get(0).getAttribute("data-key-id"))
                .isEqualTo(crm.info().keyId());
        long drawn = overview.findElements(By.cssSelector("svg.usage-chart g.bar")).stream()
                .mapToLong(b -> Long.parseLong(b.getAttribute("data-calls"))).sum();
        String summary = overview.findElement(By.className("usage-summary")).getText();
        assertThat(summary).startsWith(drawn + " calls: ").contains("refused (refusal rate ");
        assertThat(drawn).isGreaterThanOrEqualTo(8);
        JsonNode api = api("usage?tenant=92&limit=5");
        assertThat(api.path("most_refused").get(0).path("refused").asLong()).isEqualTo(3);
    }
}
