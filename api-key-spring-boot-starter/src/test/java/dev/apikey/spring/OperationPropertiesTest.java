package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code apikey.anomalies.*} and {@code apikey.webhooks.*}: a wrong value fails the start naming its property and the
 * rule, and a signing secret is never quoted.
 */
class OperationPropertiesTest {

    private static final String URL = "apikey.webhooks.endpoints[0].url=http://127.0.0.1:9/hooks";
    private static final String SECRET = "apikey.webhooks.endpoints[0].secret=whsec_"
            + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /** The start's failure, quietly: no banner, no WARN of the in-memory store. */
    private static String startFailure(String... extra) {
        String[] all = java.util.Arrays.copyOf(extra, extra.length + 2);
        all[extra.length] = "spring.main.banner-mode=off";
        all[extra.length + 1] = "logging.level.dev.apikey=off";
        return BadPropertiesTest.startFailure(all);
    }

    @Test
    void aWrongAnomalySettingNamesItsProperty() {
        assertThat(startFailure("apikey.anomalies.enabled=true", "apikey.anomalies.window=7m")).contains(
                "apikey.anomalies.window: window must be a whole number of minutes that divides a day, was PT7M");
        assertThat(startFailure("apikey.anomalies.quota-warning=100"))
                .contains("apikey.anomalies.quota-warning: quotaWarning must be 1 to 99 (percent), was 100");
        assertThat(startFailure("apikey.anomalies.minimum-history=30d"))
                .contains("apikey.anomalies.minimum-history: minimumHistory must be between");
        assertThat(startFailure("apikey.anomalies.baseline=90m")).contains("apikey.anomalies.baseline: ");
        assertThat(startFailure("apikey.anomalies.refusal-minimum=0"))
                .contains("apikey.anomalies.refusal-minimum: refusalMinimum and volumeMinimum must be 1 or more");
        assertThat(startFailure("apikey.anomalies.volume-factor=0.5"))
                .contains("apikey.anomalies.volume-factor: volumeFactor must be 1 to 1000, was 0.5");
        assertThat(startFailure("apikey.anomalies.interval=1s"))
                .contains("apikey.anomalies.interval: interval must be between PT10S and PT1H, was PT1S");
        assertThat(startFailure("apikey.anomalies.max-keys-per-run=0"))
                .contains("apikey.anomalies.max-keys-per-run: maxKeysPerRun must be 1 to 100000, was 0");
    }

    @Test
    void aWrongWebhookSettingNamesItsPropertyAndNeverTheSecret() {
        assertThat(startFailure("apikey.webhooks.endpoints[0].url=ftp://127.0.0.1/hooks", SECRET))
                .contains("apikey.webhooks.endpoints[0].url: url must be an absolute http or https URL");
        assertThat(startFailure(URL)).contains("apikey.webhooks.endpoints[0].secret: must be set");
        String shortSecret = "whsec_c2hvcnQtc2VjcmV0";
        assertThat(startFailure(URL, "apikey.webhooks.endpoints[0].secret=" + shortSecret))
                .contains("apikey.webhooks.endpoints[0].secret: secret must decode to 24 to 64 bytes")
                .doesNotContain("c2hvcnQtc2VjcmV0");
        assertThat(startFailure(URL, "apikey.webhooks.endpoints[0].secret=not-a-secret"))
                .contains("apikey.webhooks.endpoints[0].secret: secret must be whsec_ and base64")
                .doesNotContain("not-a-secret");
        assertThat(startFailure(URL, SECRET, "apikey.webhooks.workers=0"))
                .contains("apikey.webhooks.workers: workers must be 1 to 64, was 0");
        assertThat(startFailure(URL, SECRET, "apikey.webhooks.max-attempts=31"))
                .contains("apikey.webhooks.max-attempts: maxAttempts must be 1 to 30, was 31");
        assertThat(startFailure(URL, SECRET, "apikey.webhooks.queue-capacity=0"))
                .contains("apikey.webhooks.queue-capacity: queueCapacity must be 1 to 1000000, was 0");
        assertThat(startFailure(URL, SECRET, "apikey.webhooks.call-timeout=1ms"))
                .contains("apikey.webhooks.call-timeout: call timeout must be from the connect timeout to 2 min");
        assertThat(startFailure(URL, SECRET, "apikey.webhooks.connect-timeout=2m"))
                .contains("apikey.webhooks.connect-timeout: connect timeout must be 1 ms to 1 min");
        assertThat(startFailure("apikey.webhooks.tenant-endpoints=true", "apikey.webhooks.backoff-first=2h"))
                .contains("apikey.webhooks.backoff-first: backoff first must be 1 ms to 1 h");
        assertThat(startFailure(URL, SECRET, "apikey.webhooks.backoff-max=1ms"))
                .contains("apikey.webhooks.backoff-max: backoff max must be from first to 1 day");
        assertThat(startFailure("apikey.webhooks.endpoints[0].url=http://user:hunter2@127.0.0.1:9/h",
                "apikey.webhooks.endpoints[0].secret=nope")).doesNotContain("hunter2");
    }

    @Test
    void theMetadataLetsIdesCompleteTheNewProperties() throws Exception {
        String json;
        try (java.io.InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by the configuration processor").isNotNull();
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String property : java.util.List.of("apikey.anomalies.enabled", "apikey.anomalies.window",
                "apikey.anomalies.refusal-factor", "apikey.anomalies.max-keys-per-run", "apikey.webhooks.endpoints",
                "apikey.webhooks.tenant-endpoints", "apikey.webhooks.max-attempts", "apikey.webhooks.call-timeout")) {
            assertThat(json).contains("\"name\": \"" + property + "\"");
        }
    }

    @Test
    void theSecretPropertiesAreKnownInEverySpelling() {
        assertThat(ApiKeyListeners.isSecretProperty("apikey.hasher.pepper")).isTrue();
        assertThat(ApiKeyListeners.isSecretProperty("APIKEY_HASHER_PEPPER")).isTrue();
        assertThat(ApiKeyListeners.isSecretProperty("apikey.webhooks.endpoints[3].secret")).isTrue();
        assertThat(ApiKeyListeners.isSecretProperty("APIKEY_WEBHOOKS_ENDPOINTS_0_SECRET")).isTrue();
        assertThat(ApiKeyListeners.isSecretProperty("apikey.webhooks.endpoints[0].url")).isFalse();
        assertThat(ApiKeyListeners.isSecretProperty("apikey.hasher.pepper-id")).isFalse();
    }
}
