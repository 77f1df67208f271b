package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spring.security.ApiKeyReactiveVerifier;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.scheduler.Schedulers;

/**
 * A host's {@link AccessPolicy} in a reactive application: host code may block, so every verify it takes part in runs
 * on the bounded scheduler, a cached key's too, never on Netty's event loop; its refusal is answered as a problem.
 */
@SpringBootTest(classes = WebFluxHostPolicyTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read"})
class WebFluxHostPolicyTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
        /** Where the policy ran: "non-blocking" or "blocking", then the thread's name. */
        static final List<String> ASKED_ON = new CopyOnWriteArrayList<>();

        /** Refuses the key named "blocked", as a host's own rule might. */
        @Bean
        AccessPolicy policy() {
            return (ApiKeyPrincipal key, VerifyRequest request) -> {
                ASKED_ON.add((Schedulers.isInNonBlockingThread() ? "non-blocking " : "blocking ")
                        + Thread.currentThread().getName());
                return key.name().equals("blocked") ? Optional.of(Failure.INSUFFICIENT_SCOPE) : Optional.empty();
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Test
    void theHostsPolicyRunsOffTheEventLoopEvenForACachedKey() {
        String reader = apiKeys.create(KeySpec.builder("reader").scopes("events:read").build()).plaintext();
        String blocked = apiKeys.create(KeySpec.builder("blocked").scopes("events:read").build()).plaintext();
        App.ASKED_ON.clear();

        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/events", reader).statusCode()).as("cached now").isEqualTo(200);
        HttpResponse<String> refused = Http.get(port, "/api/v1/events", blocked);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"code\":\"insufficient_scope\"");
        assertThat(App.ASKED_ON).hasSize(3)
                .allSatisfy(on -> assertThat(on).startsWith("blocking " + ApiKeyReactiveVerifier.THREAD_PREFIX));
    }
}
