package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * On WebFlux, the request's server observation ({@code http.server.requests}) lives in the Reactor context, not in a
 * thread local: each {@code apikey.authentication} observation is still its child (so a trace shows the
 * authentication inside the request's span), for a granted key (verified, then from the cache), a refused one and
 * one refused before verifying.
 */
@SpringBootTest(classes = WebFluxObservationParentTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "spring.datasource.url=jdbc:h2:mem:webflux-observation-parent;DB_CLOSE_DELAY=-1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=GET /health -> public",
            // Spring Security's own observations (spring.security.*) would sit between the two: kept out here, so
            // that the parent is the request's; WebFluxStarterTest has them, and the request's as an ancestor.
            "management.observations.enable.spring.security=false"})
class WebFluxObservationParentTest {

    static final String HTTP = "http.server.requests";
    static final String AUTHENTICATION = "apikey.authentication";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
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
    }

    @LocalServerPort
    int port;
    @Autowired
    ApiKeys apiKeys;

    @BeforeEach
    void forgetEarlierObservations() {
        App.STOPPED.clear();
    }

    @Test
    void eachAuthenticationIsAChildOfItsRequestsServerObservation() {
        String reader = apiKeys.create(KeySpec.builder("reader").tenantId("92").scopes("events:read").build())
                .plaintext();

        assertThat(Http.get(port, "/api/v1/events?n=1", reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events?n=2", reader).statusCode()).as("again, from the cache")
                .isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events?n=3", badChecksum(reader)).statusCode()).isEqualTo(401);
        assertThat(Http.get(port, "/api/v1/events?n=4&api_key=" + reader, null).statusCode())
                .as("refused before verifying").isEqualTo(400);

        List<Observation.Context> authentications = named(AUTHENTICATION);
        assertThat(authentications).extracting(c -> c.getLowCardinalityKeyValue("apikey.outcome").getValue())
                .containsExactly("granted", "granted", "refused", "refused");
        for (int i = 0; i < authentications.size(); i++) {
            ObservationView parent = authentications.get(i).getParentObservation();
            assertThat(parent).as("the parent of authentication %d", i + 1).isNotNull();
            assertThat(parent.getContextView().getName()).isEqualTo(HTTP);
            assertThat(parent.getContextView()).isInstanceOf(ServerRequestObservationContext.class);
            assertThat(((ServerRequestObservationContext) parent.getContextView()).getCarrier().getURI().getRawQuery())
                    .as("its own request's").startsWith("n=" + (i + 1));
        }
        // The server observation stops when the exchange completes, maybe after the client has read the answer.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(named(HTTP)).hasSize(4));
    }

    private static List<Observation.Context> named(String name) {
        return App.STOPPED.stream().filter(c -> name.equals(c.getName())).toList();
    }

    /** The names of an observation's parent, its parent's parent, and so on. */
    static List<String> ancestors(Observation.Context context) {
        List<String> out = new ArrayList<>();
        for (ObservationView p = context.getParentObservation(); p != null && out.size() < 20;
                p = p.getContextView().getParentObservation()) {
            out.add(p.getContextView().getName());
        }
        return out;
    }

    /** The key with its last checksum character changed (to one it is not): malformed, whatever the key. */
    private static String badChecksum(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'x' ? 'y' : 'x');
    }
}
