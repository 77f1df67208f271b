package dev.apikey.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** {@link ProblemParityCases} for the servlet chain (Spring MVC on Tomcat) against {@code ApiKeyFilter}. */
@SpringBootTest(classes = ProblemParityTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.scopes.[events\\:write]=Send test events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.routes[1]=POST /api/v1/events/test -> events:write",
            "apikey.routes[2]=GET /api/v1/tenants/{tenantId}/events -> events:read",
            "apikey.cache.negative-ttl=0s",
            "apikey.problem-type-base=" + ProblemParityCases.TYPE_BASE})
class ProblemParityTest extends ProblemParityCases {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
        /** The host's own store, replacing the starter's: one that can go down. */
        @org.springframework.context.annotation.Bean
        SwitchableKeyStore store() {
            return new SwitchableKeyStore();
        }
    }
}
