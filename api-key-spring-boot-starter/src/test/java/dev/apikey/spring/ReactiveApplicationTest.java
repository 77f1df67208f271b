package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The starts a reactive (WebFlux) application is refused, each saying why: without reactive Spring Security (no
 * API-key check could run, every route would answer without a key), with the console enabled (a servlet
 * application's), and with a scheduler size out of range. Started on Netty, bound to loopback.
 */
class ReactiveApplicationTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void aReactiveApplicationWithoutSpringSecurityFailsToStartSayingWhy() {
        assertGuarded(new FilteredClassLoader("org.springframework.security", "org.springframework.boot.security"));
    }

    @Test
    void aReactiveApplicationWithOnlyHalfOfReactiveSpringSecurityFailsToStartToo() {
        // spring-security-config without spring-security-web: no reactive chain could be made.
        assertGuarded(new FilteredClassLoader("org.springframework.security.web"));
    }

    private static void assertGuarded(ClassLoader loader) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.REACTIVE).logStartupInfo(false)
                .resourceLoader(new DefaultResourceLoader(loader))
                .properties(Map.of("server.port", "0", "server.address", "127.0.0.1",
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
                .hasMessageContaining("reactive (WebFlux)").hasMessageContaining("spring-boot-starter-security"));
    }

    @Test
    void theConsoleInAReactiveApplicationFailsTheStartNamingTheProperty() {
        FailureAnalysis analysis = StartFailureReportTest.analysisOf(WebApplicationType.REACTIVE, null,
                "apikey.admin.enabled=true", "apikey.routes[0]=GET /api/v1/events -> events:read");

        assertThat(analysis.getDescription()).startsWith("The API-key starter cannot use apikey.admin.enabled = 'true'")
                .contains("reactive (WebFlux)").contains("servlet application");
    }

    @Test
    void aSchedulerSizeOutOfRangeFailsTheStartNamingThePropertyAndTheRule() {
        FailureAnalysis threads = StartFailureReportTest.analysisOf(WebApplicationType.REACTIVE, null,
                "apikey.webflux.verify-threads=0");
        FailureAnalysis queue = StartFailureReportTest.analysisOf(WebApplicationType.REACTIVE, null,
                "apikey.webflux.verify-queue=1000001");

        assertThat(threads.getDescription())
                .startsWith("The API-key starter cannot use apikey.webflux.verify-threads = '0'")
                .contains("must be 1 to 1024");
        assertThat(queue.getDescription())
                .startsWith("The API-key starter cannot use apikey.webflux.verify-queue = '1000001'")
                .contains("must be 1 to 1000000");
    }
}
