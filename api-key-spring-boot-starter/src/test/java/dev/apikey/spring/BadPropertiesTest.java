package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A wrong setting fails the start with a message naming the property and the rule; the pepper is never shown. */
class BadPropertiesTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    static final String[] GOOD = {"apikey.prefix=wlcro", "apikey.scopes.[events\\:read]=Read events",
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"};

    /** Starts a non-web context with these properties on top of good ones; returns the failure's messages. */
    static String startFailure(String... extra) {
        List<String> all = new ArrayList<>(List.of(GOOD));
        all.addAll(List.of(extra));
        // key=value, split at the first '=' (the builder's String form would split at a scope's ':').
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
        // The failure is asserted below, not printed (Spring Boot logs a failed start at ERROR).
        properties.put("logging.level.org.springframework", "off");
        for (String p : all) {
            int eq = p.indexOf('=');
            properties.put(p.substring(0, eq).replace("\\:", ":"), p.substring(eq + 1));
        }
        Throwable failure = catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE).properties(properties).run()) {
                // started: no failure
            }
        });
        assertThat(failure).as("the start fails").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void aRoutesBadCostFailsTheStartNamingTheRouteAndTheRule() {
        assertThat(startFailure("apikey.routes[0]=GET /api/v1/events -> events:read cost=0"))
                .contains("apikey.routes[0]: cost must be 1 to 1000000, was 0 in "
                        + "'GET /api/v1/events -> events:read cost=0'");
        assertThat(startFailure("apikey.routes[0]=GET /health -> public",
                "apikey.routes[1]=GET /api/v1/events -> authenticated cost=1000001"))
                .contains("apikey.routes[1]: cost must be 1 to 1000000, was 1000001 in ");
        assertThat(startFailure("apikey.routes[0]=GET /api/v1/events -> events:read cost=many"))
                .contains("apikey.routes[0]: cost must be a whole number 1 to 1000000, was 'many' in ");
        assertThat(startFailure("apikey.routes[0]=GET /health -> public cost=2"))
                .contains("apikey.routes[0]: cost must not be set on a public route, which verifies no key, was 2");
    }

    @Test
    void eachWrongSettingNamesItsPropertyAndRule() {
        assertThat(startFailure("apikey.routes[0]=GET /api/v1/events -> events:raed"))
                .contains("apikey.routes[0]: requires scope 'events:raed', which apikey.scopes does not declare, "
                        + "was 'GET /api/v1/events -> events:raed'");
        assertThat(startFailure("apikey.routes[0]=GET api/v1/events events:read"))
                .contains("apikey.routes[0]: route must read 'METHOD /path -> scope|authenticated|public'");
        assertThat(startFailure("apikey.hasher.type=md5"))
                .contains("apikey.hasher.type: must be one of sha256, hmac-sha256, argon2id, was 'md5'");
        assertThat(startFailure("apikey.prefix=")).contains("apikey.prefix: must be set");
        assertThat(startFailure("apikey.prefix=no spaces")).contains("apikey.prefix: prefix ");
        assertThat(startFailure("apikey.rate-limit.default-limit=600/week"))
                .contains("apikey.rate-limit.default-limit: must be requests per s, min, h or d, like 600/min, "
                        + "was '600/week'");
        assertThat(startFailure("apikey.cache.max-staleness=0s")).contains("apikey.cache.max-staleness: ");
        assertThat(startFailure("apikey.wildcard-scopes.[events\\:all]=x")).contains("apikey.wildcard-scopes[events:all]: ");
        String pepper = "c2hvcnQ=";
        String shortPepper = startFailure("apikey.hasher.type=hmac-sha256", "apikey.hasher.pepper=" + pepper);
        assertThat(shortPepper).contains("apikey.hasher.pepper: ").doesNotContain(pepper);
        assertThat(startFailure("apikey.hasher.type=hmac-sha256")).contains("apikey.hasher.pepper: must be set");
        assertThat(startFailure("apikey.client.trusted-proxies=proxy.internal"))
                .contains("apikey.client.trusted-proxies: trustedProxies: ");
        assertThat(startFailure("apikey.client.forwarded-header=X-Real-IP"))
                .contains("apikey.client.forwarded-header: forwardedHeader must be X-Forwarded-For or Forwarded");
        assertThat(startFailure("apikey.client.country.header=CF-IPCountry"))
                .contains("apikey.client.country.header: countryHeader CF-IPCountry needs trustedProxies");
        assertThat(startFailure("apikey.client.trusted-proxies=127.0.0.2", "apikey.client.country.header=CF-IPCountry",
                "apikey.client.country.database=/nowhere.mmdb")).contains("apikey.client.country.database: set one");
        assertThat(startFailure("apikey.client.country.database=/nowhere/GeoLite2-Country.mmdb"))
                .contains("apikey.client.country.database: countryDatabase /nowhere/GeoLite2-Country.mmdb is not a "
                        + "readable file");
        assertThat(startFailure("apikey.problem-type-base=apikey.dev/problems/"))
                .contains("apikey.problem-type-base: must be an absolute URI").contains("was 'apikey.dev/problems/'");
    }

    @Test
    void theMetadataLetsIdesCompleteTheProperties() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by the configuration processor").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String property : List.of("apikey.prefix", "apikey.routes", "apikey.scopes", "apikey.hasher.type",
                "apikey.hasher.pepper", "apikey.cache.maximum-size", "apikey.rate-limit.default-limit",
                "apikey.jdbc.table-name", "apikey.admin.enabled", "apikey.change-feed-interval", "apikey.problem-type-base",
                "apikey.client.trusted-proxies", "apikey.client.forwarded-header", "apikey.client.country.header",
                "apikey.client.country.database", "apikey.client.country.allow-unknown")) {
            assertThat(json).contains("\"name\": \"" + property + "\"");
        }
        assertThat(json).contains("Route rules, one per entry");
    }
}
