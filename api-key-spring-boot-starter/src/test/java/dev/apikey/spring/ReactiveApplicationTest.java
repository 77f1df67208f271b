package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A reactive (WebFlux) application with the starter: the starter has no reactive adapter, so the application must not
 * start (it would answer every route without a key). Started on Netty, bound to loopback.
 */
class ReactiveApplicationTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @RestController
        static class Events {
            @GetMapping("/api/v1/events")
            String events() {
                return "{\"events\":[]}";
            }
        }
    }

    @Test
    void aReactiveApplicationFailsToStartSayingWhy() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class, App.Events.class)
                .web(WebApplicationType.REACTIVE).logStartupInfo(false)
                .properties(java.util.Map.of("server.port", "0", "server.address", "127.0.0.1",
                        "spring.main.banner-mode", "off", "apikey.prefix", "wlcro",
                        "apikey.scopes.[events:read]", "Read events",
                        "apikey.routes[0]", "GET /api/v1/events -> events:read",
                        // The failed start is expected: keep Spring Boot's failure report out of the build's output.
                        "logging.level.org.springframework", "off"));
        assertThatThrownBy(() -> {
            try (ConfigurableApplicationContext started = app.run()) {
                assertThat(started).as("a started reactive application").isNull();
            }
        }).satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(ApiKeyReactiveGuardAutoConfiguration.MESSAGE)
                .hasMessageContaining("reactive (WebFlux)").hasMessageContaining("servlet"));
    }
}
