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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Open anomalies in headless Chromium under the console's CSP: under the keys list, on a key's page and on the tenant
 * page, the same anomalies the API answers, each a line of text. Skipped, saying why, without Chromium.
 */
class ConsoleAnomaliesBrowserTest extends ConsoleSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/admin/api-keys/" + path)).header("Authorization", "Bearer " + admin)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("anomalies").forEach(a -> ids.add(a.path("id").asText()));
        return ids;
    }

    private static List<String> shown(WebElement section) {
        return section.findElements(By.cssSelector("li.anomaly")).stream().map(li -> li.getAttribute("data-id"))
                .toList();
    }

    @Test
    void theKeyAndTenantPagesShowTheOpenAnomaliesTheApiAnswers() throws Exception {
        start(null);
        IssuedKey crm = apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read").build());
        for (int i = 0; i < 25; i++) {
            apiKeys.verify(crm.plaintext(), "webhooks:write");
        }
        apiKeys.usage().flush();
        assertThat(apiKeys.anomalies().detectNow()).hasSize(2);
        signIn();
        String id = crm.info().keyId();

        WebElement overview = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("anomalies-overview")));
        wait.until(d -> !d.findElements(By.cssSelector("#anomalies-overview li.anomaly")).isEmpty());
        JsonNode tenant = api("anomalies?tenant=92");
        assertThat(shown(overview)).containsExactlyInAnyOrderElementsOf(ids(tenant)).hasSize(2);
        assertThat(overview.findElements(By.cssSelector("li.anomaly"))).extracting(WebElement::getText)
                .anySatisfy(t -> assertThat(t).startsWith("Burst of refusals — key " + id
                        + ": 25 refusals (401/403), usually 0, "))
                .anySatisfy(t -> assertThat(t).startsWith("Burst of refusals — tenant 92: 25 refusals"));

        browser.findElement(By.cssSelector("button[data-action='details'][data-key='" + id + "']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#details-anomalies li.anomaly")).isEmpty());
        assertThat(shown(browser.findElement(By.id("details-anomalies"))))
                .containsExactlyElementsOf(ids(api("keys/" + id + "/anomalies")));
        browser.findElement(By.id("details-close")).click();

        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-id")));
        input.clear();
        input.sendKeys("92");
        browser.findElement(By.id("tenant-show")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#tenant-anomalies li.anomaly")).isEmpty());
        assertThat(shown(browser.findElement(By.id("tenant-anomalies")))).containsExactlyElementsOf(ids(tenant));
    }

    @Test
    void aNewCountryIsShownWithItsCountry() throws Exception {
        start(null);
        IssuedKey crm = apiKeys.create(KeySpec.builder("crm-sync").tenantId("92").scopes("events:read").build());
        String id = crm.info().keyId();
        java.time.Instant hour = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        assertThat(store.openAnomaly(dev.apikey.model.Anomaly.open(dev.apikey.model.Anomaly.Kind.NEW_COUNTRY,
                dev.apikey.model.UsageSubject.key(id), "92", hour, hour.plusSeconds(3_600), 1, 2, "FR",
                java.time.Instant.now()))).isTrue();
        signIn();

        browser.findElement(By.cssSelector("button[data-action='details'][data-key='" + id + "']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#details-anomalies li.anomaly")).isEmpty());
        WebElement shown = browser.findElement(By.cssSelector("#details-anomalies li.anomaly"));
        assertThat(shown.getAttribute("data-id")).isEqualTo("new_country.key." + id + "." + hour.getEpochSecond()
                + ".FR");
        assertThat(shown.getText()).startsWith("New country: used from FR, a country not seen before (2 known), ");
    }

    @Test
    void aKeyWithoutAnomaliesSaysSo() throws Exception {
        start(null);
        IssuedKey quiet = apiKeys.create(KeySpec.builder("quiet").tenantId("92").scopes("events:read").build());
        signIn();
        browser.findElement(By.cssSelector("button[data-action='details'][data-key='" + quiet.info().keyId() + "']"))
                .click();
        WebElement none = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#details-anomalies p.anomalies-none")));
        assertThat(none.getText()).isEqualTo("No open anomalies.");
    }
}
