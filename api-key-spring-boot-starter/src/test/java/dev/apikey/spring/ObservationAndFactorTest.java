package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.spring.security.ApiKeyAuthentication;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Each authentication by API key is a Micrometer observation (outcome and code as low-cardinality key values, the
 * key's id and tenant as high-cardinality ones, never the key), and a granted key carries the factor authority
 * FACTOR_API_KEY, which a rule can require.
 */
@SpringBootTest(classes = ObservationAndFactorTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=GET /api/v1/factors -> authenticated"})
class ObservationAndFactorTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableMethodSecurity
    @Import({SeedControllers.class, App.Factors.class})
    static class App {
        /** Every observation stopped, in order. */
        static final List<Observation.Context> STOPPED = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }

                @Override
                public void onStop(Observation.Context context) {
                    STOPPED.add(context);
                }
            });
            return registry;
        }

        @RestController
        static class Factors {
            @GetMapping("/api/v1/factors")
            @PreAuthorize("hasAuthority('FACTOR_API_KEY')")
            Map<String, Object> factors(Authentication auth) {
                return Map.of("authorities", auth.getAuthorities().stream().map(a -> a.getAuthority()).sorted()
                        .collect(Collectors.toList()));
            }
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ApiKeys apiKeys;
    @BeforeEach
    void forgetEarlierObservations() {
        App.STOPPED.clear();
    }

    private static List<Observation.Context> authentications() {
        return App.STOPPED.stream().filter(c -> "apikey.authentication".equals(c.getName())).toList();
    }

    @Test
    void eachAuthenticationIsAnObservationWithItsOutcomeAndNeverTheKey() {
        String reader = apiKeys.create(KeySpec.builder("reader").tenantId("92").scopes("events:read").build())
                .plaintext();
        String keyId = apiKeys.keyFormat().parse(reader).orElseThrow().keyId();

        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events", badChecksum(reader)).statusCode())
                .isEqualTo(401);
        assertThat(Http.get(port, "/api/v1/events", null).statusCode()).isEqualTo(401);

        List<Observation.Context> seen = authentications();
        assertThat(seen).as("a granted and a malformed key; no key is no authentication").hasSize(2);
        Observation.Context granted = seen.get(0);
        assertThat(granted.getLowCardinalityKeyValues().stream().map(KeyValue::toString).toList())
                .contains(KeyValue.of("apikey.outcome", "granted").toString(),
                        KeyValue.of("apikey.code", "none").toString());
        assertThat(granted.getHighCardinalityKeyValue("apikey.key_id").getValue()).isEqualTo(keyId);
        assertThat(granted.getHighCardinalityKeyValue("apikey.tenant").getValue()).isEqualTo("92");
        Observation.Context refused = seen.get(1);
        assertThat(refused.getLowCardinalityKeyValue("apikey.outcome").getValue()).isEqualTo("refused");
        assertThat(refused.getLowCardinalityKeyValue("apikey.code").getValue()).isEqualTo("malformed_api_key");
        assertThat(refused.getHighCardinalityKeyValue("apikey.key_id")).isNull();
        for (Observation.Context c : seen) {
            // The servlet request's observation is the thread's current one: each authentication inside it.
            assertThat(WebFluxObservationParentTest.ancestors(c)).as("inside the request's observation")
                    .contains("http.server.requests");
            assertThat(c.getAllKeyValues().stream().map(KeyValue::getValue).toList())
                    .noneMatch(v -> v.contains(reader.substring(reader.lastIndexOf('_') + 9)));
        }
    }

    @Test
    void aGrantedKeyCarriesTheApiKeyFactorAuthority() {
        String any = apiKeys.create(KeySpec.builder("any").tenantId("92").scopes("events:read").build()).plaintext();
        HttpResponse<String> factors = Http.get(port, "/api/v1/factors", any);
        assertThat(factors.statusCode()).as(factors.body()).isEqualTo(200);
        assertThat(factors.body()).contains(ApiKeyAuthentication.FACTOR_AUTHORITY);
    }

    /** The key with its last checksum character changed (to one it is not): malformed, whatever the key. */
    private static String badChecksum(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'x' ? 'y' : 'x');
    }
}
