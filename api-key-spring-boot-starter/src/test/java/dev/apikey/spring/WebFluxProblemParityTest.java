package dev.apikey.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * {@link ProblemParityTest}'s cases for the reactive chain (WebFlux on Netty, over real HTTP) against
 * {@code ApiKeyFilter}: every failure code, HEAD and what no route names, answered alike.
 */
@SpringBootTest(classes = WebFluxProblemParityTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[events\\:write]=Send test events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=POST /api/v1/events/test -> events:write",
            "apikey.routes[2]=GET /api/v1/tenants/{tenantId}/events -> events:read",
            "apikey.cache.negative-ttl=0s",
            "apikey.problem-type-base=" + ProblemParityTest.TYPE_BASE})
class WebFluxProblemParityTest extends ProblemParityTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
        /** The host's own store, replacing the starter's: one that can go down. */
        @org.springframework.context.annotation.Bean
        SwitchableKeyStore store() {
            return new SwitchableKeyStore();
        }
    }
}
