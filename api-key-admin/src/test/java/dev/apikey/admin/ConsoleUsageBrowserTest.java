package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.IssuedKey;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A key's usage chart in headless Chromium under the console's CSP: its bars carry the numbers the API answers, the
 * legend names granted and each refusal kind with its total (and a pattern, so no colour is needed), the ranges
 * switch, and a rotated key's page says whether it is still called. The chart is saved to
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

    @Test
    void aKeysChartHasTheApisNumbersAndARotatedKeySaysItIsStillCalled() throws Exception {
        start(null);
        IssuedKey crm = apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read").build());
        for (int i = 0; i < 5; i++) {
            apiKeys.verify(crm.plaintext(), "events:read");
        }
        apiKeys.verify(crm.plaintext(), "webhooks:write");
        apiKeys.verify(crm.plaintext(), "webhooks:write");
        apiKeys.rotate(crm.info().keyId(), Duration.ofHours(1));
        apiKeys.usage().flush();
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
        assertThat(browser.findElement(By.cssSelector("#details-usage .usage-rotation")).getText())
                .startsWith("Replaced by ").contains("and still called: 7 calls");
        Files.createDirectories(ConsoleBrowserTest.SCREENSHOTS);
        WebElement panel = browser.findElement(By.id("details-usage"));
        browser.executeScript("arguments[0].scrollIntoView()", panel);
        Files.write(ConsoleBrowserTest.SCREENSHOTS.resolve("usage.png"), panel.getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.xpath("//div[@class='usage-ranges']/button[text()='Last 30 days']")).click();
        wait.until(d -> "Last 30 days".equals(d.findElement(By.cssSelector("#details-usage .usage-body"))
                .getAttribute("data-range")));
        List<WebElement> days = browser.findElements(By.cssSelector("#details-usage svg.usage-chart g.bar"));
        assertThat(days).hasSizeBetween(30, 31);
        assertThat(days.stream().mapToLong(b -> Long.parseLong(b.getAttribute("data-calls"))).sum()).isEqualTo(7);
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
