package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.ApiKeys;
import dev.apikey.IssuedKey;
import dev.apikey.Usage;
import dev.apikey.model.KeySpec;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code apikey.usage.*} (issue 27): whether verifies are counted, how often they are written and how long each bucket
 * is kept reach the starter's {@link ApiKeys}; unset ones keep the core's defaults; a wrong one fails the start
 * naming its property and the rule.
 */
class UsagePropertiesTest {

    /** Starts a quiet non-web context (in-memory store, which keeps usage) with these {@code key=value} on top. */
    private static ConfigurableApplicationContext start(String... extra) {
        Map<String, Object> properties = new LinkedHashMap<>(Map.of("apikey.prefix", "wlcro",
                "apikey.scopes.[events:read]", "Read events", "spring.main.banner-mode", "off",
                "logging.level.root", "off", "spring.autoconfigure.exclude",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"));
        for (String p : extra) {
            int eq = p.indexOf('=');
            properties.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return new SpringApplicationBuilder(BadPropertiesTest.App.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    @Test
    void unsetPropertiesKeepTheCoresDefaults() {
        try (ConfigurableApplicationContext context = start()) {
            Usage usage = context.getBean(ApiKeys.class).usage();
            assertThat(usage.flushInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(usage.retention(UsageGrain.MINUTE)).isEqualTo(Duration.ofHours(48));
            assertThat(usage.retention(UsageGrain.HOUR)).isEqualTo(Duration.ofDays(90));
            assertThat(usage.retention(UsageGrain.DAY)).isEqualTo(Duration.ofDays(730));
            // The fill-ins for retentions left unset beside one that is set are the core's own defaults.
            assertThat(ApiKeyUsageProperties.DEFAULT_MINUTES).isEqualTo(usage.retention(UsageGrain.MINUTE));
            assertThat(ApiKeyUsageProperties.DEFAULT_HOURS).isEqualTo(usage.retention(UsageGrain.HOUR));
            assertThat(ApiKeyUsageProperties.DEFAULT_DAYS).isEqualTo(usage.retention(UsageGrain.DAY));
            assertThat(context.getBean(ApiKeyProperties.class).getUsage()).hasToString(
                    "ApiKeyUsageProperties[counting=null, flushInterval=null, "
                            + "retention=Retention[minutes=null, hours=null, days=null]]");
        }
    }

    @Test
    void eachPropertyReachesApiKeys() {
        try (ConfigurableApplicationContext context = start("apikey.usage.counting=true",
                "apikey.usage.flush-interval=2s", "apikey.usage.retention.minutes=6h",
                "apikey.usage.retention.hours=30d", "apikey.usage.retention.days=400d")) {
            Usage usage = context.getBean(ApiKeys.class).usage();
            assertThat(usage.flushInterval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(usage.retention(UsageGrain.MINUTE)).isEqualTo(Duration.ofHours(6));
            assertThat(usage.retention(UsageGrain.HOUR)).isEqualTo(Duration.ofDays(30));
            assertThat(usage.retention(UsageGrain.DAY)).isEqualTo(Duration.ofDays(400));
        }
    }

    @Test
    void oneRetentionSetLeavesTheOthersAtTheirDefaults() {
        try (ConfigurableApplicationContext context = start("apikey.usage.retention.minutes=6h")) {
            Usage usage = context.getBean(ApiKeys.class).usage();
            assertThat(usage.retention(UsageGrain.MINUTE)).isEqualTo(Duration.ofHours(6));
            assertThat(usage.retention(UsageGrain.HOUR)).isEqualTo(Duration.ofDays(90));
            assertThat(usage.retention(UsageGrain.DAY)).isEqualTo(Duration.ofDays(730));
            assertThat(usage.flushInterval()).isEqualTo(Duration.ofSeconds(10));
        }
    }

    /** Creates a key, verifies it once and flushes; returns the key's verifies counted this hour. */
    private static long countedAfterOneVerify(ApiKeys apiKeys) {
        IssuedKey key = apiKeys.create(KeySpec.builder("counted").scopes("events:read").build());
        assertThat(apiKeys.verify(key.plaintext(), "events:read").isGranted()).isTrue();
        Usage usage = apiKeys.usage();
        usage.flush();
        Instant now = usage.now();
        return usage.series(UsageSubject.key(key.info().keyId()), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofMinutes(1)), UsageGrain.HOUR).stream().mapToLong(UsagePoint::total).sum();
    }

    @Test
    void countingOnCountsAndOffKeepsNoCounts() {
        try (ConfigurableApplicationContext context = start("apikey.usage.counting=true")) {
            assertThat(countedAfterOneVerify(context.getBean(ApiKeys.class))).isEqualTo(1);
        }
        try (ConfigurableApplicationContext context = start("apikey.usage.counting=false")) {
            ApiKeys apiKeys = context.getBean(ApiKeys.class);
            assertThatThrownBy(() -> countedAfterOneVerify(apiKeys))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aWrongValueFailsTheStartNamingItsPropertyAndRule() {
        assertThat(BadPropertiesTest.startFailure("apikey.usage.flush-interval=500ms"))
                .contains("apikey.usage.flush-interval: must be between PT1S and PT1M, was 'PT0.5S'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.flush-interval=2m"))
                .contains("apikey.usage.flush-interval: must be between PT1S and PT1M, was 'PT2M'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.retention.minutes=30m"))
                .contains("apikey.usage.retention.minutes: must be between PT1H and PT720H, was 'PT30M'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.retention.hours=800d"))
                .contains("apikey.usage.retention.hours: must be between PT24H and PT17544H, was 'PT19200H'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.retention.days=4000d"))
                .contains("apikey.usage.retention.days: must be between PT24H and PT87672H, was 'PT96000H'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.retention.hours=1d"))
                .contains("apikey.usage.retention.hours: must be at least as long as apikey.usage.retention.minutes "
                        + "(PT48H, its default), was 'PT24H'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.retention.minutes=10d",
                "apikey.usage.retention.hours=100d", "apikey.usage.retention.days=50d"))
                .contains("apikey.usage.retention.days: must be at least as long as apikey.usage.retention.hours "
                        + "(PT2400H), was 'PT1200H'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.retention.hours=731d"))
                .contains("apikey.usage.retention.hours: must be at most as long as apikey.usage.retention.days "
                        + "(PT17520H, its default), was 'PT17544H'");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.counting=false", "apikey.anomalies.enabled=true"))
                .contains("apikey.usage.counting: must stay on (true) while apikey.anomalies.enabled is true");
        assertThat(BadPropertiesTest.startFailure("apikey.usage.counting=sometimes"))
                .contains("apikey.usage.counting");
    }

    @Test
    void theMetadataLetsIdesCompleteTheProperties() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by the configuration processor").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String property : List.of("apikey.usage.counting", "apikey.usage.flush-interval",
                "apikey.usage.retention.minutes", "apikey.usage.retention.hours", "apikey.usage.retention.days")) {
            assertThat(json).contains("\"name\": \"" + property + "\"");
        }
    }
}
