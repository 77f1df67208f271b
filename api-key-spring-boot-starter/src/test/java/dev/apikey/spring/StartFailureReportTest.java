package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apikey.admin.AdminApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * What Spring Boot reports when the starter refuses to start: a few lines naming the property, its value and the
 * rule (the starter's failure analyzer), never a stack trace; and the console switched on where it cannot work.
 */
class StartFailureReportTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    /** Starts with these properties on top of good ones and returns Spring Boot's analysis of the failure. */
    static FailureAnalysis analysisOf(WebApplicationType type, ClassLoader loader, String... extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        // The report is asserted below, not printed (Spring Boot logs it at ERROR).
        properties.put("logging.level.org.springframework", "off");
        properties.put("logging.level.dev.apikey", "off");
        properties.put("spring.main.banner-mode", "off");
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        List<String> all = new ArrayList<>(List.of(BadPropertiesTest.GOOD));
        all.addAll(List.of(extra));
        for (String p : all) {
            int eq = p.indexOf('=');
            properties.put(p.substring(0, eq).replace("\\:", ":"), p.substring(eq + 1));
        }
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class).web(type).properties(properties);
        if (loader != null) {
            app.resourceLoader(new DefaultResourceLoader(loader));
        }
        Throwable failure = catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored = app.run()) {
                // started: no failure
            }
        });
        assertThat(failure).as("the start fails").isNotNull();
        for (FailureAnalysis analysis : RecordingFailureAnalysisReporter.REPORTED) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (analysis.getCause() == t) {
                    return analysis;
                }
            }
        }
        throw new AssertionError("Spring Boot reported no analysis of " + failure);
    }

    static String report(FailureAnalysis analysis) {
        return analysis.getDescription() + "\n" + analysis.getAction();
    }

    @Test
    void aMalformedRateLimitIsReportedInAFewLinesNamingThePropertyTheValueAndTheForm() {
        FailureAnalysis analysis = analysisOf(WebApplicationType.NONE, null,
                "apikey.rate-limit.default-limit=600/week");

        assertThat(analysis.getCause()).isInstanceOf(ApiKeyPropertyException.class);
        assertThat(analysis.getDescription()).startsWith("The API-key starter cannot use "
                + "apikey.rate-limit.default-limit = '600/week' (from ")
                .endsWith(":\nmust be requests per s, min, h or d, like 600/min.");
        assertThat(analysis.getAction()).startsWith("Correct apikey.rate-limit.default-limit where it is set");
        assertThat(report(analysis).lines().count()).as(report(analysis)).isLessThanOrEqualTo(4);
        assertThat(report(analysis)).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aSecretIsNeverInTheReport() {
        String pepper = "c2hvcnQ=";
        FailureAnalysis analysis = analysisOf(WebApplicationType.NONE, null, "apikey.hasher.type=hmac-sha256",
                "apikey.hasher.pepper=" + pepper);

        assertThat(analysis.getDescription()).startsWith("The API-key starter cannot use apikey.hasher.pepper (from ")
                .contains("must be at least 32 bytes");
        assertThat(report(analysis)).doesNotContain(pepper);
    }

    @Test
    void theConsoleWithoutTheAdminModuleFailsTheStartNamingTheDependency() {
        FailureAnalysis analysis = analysisOf(WebApplicationType.NONE, new FilteredClassLoader(AdminApi.class),
                "apikey.admin.enabled=true");

        assertThat(analysis.getDescription()).startsWith("The API-key starter cannot use apikey.admin.enabled = 'true'")
                .contains("dev.apikey:api-key-admin");
    }

    @Test
    void theConsoleOnTheChainBuiltFromRoutesFailsTheStartSayingHowToMountIt() {
        FailureAnalysis analysis = analysisOf(WebApplicationType.SERVLET, null, "apikey.admin.enabled=true",
                "apikey.routes[0]=GET /api/v1/events -> events:read");

        assertThat(analysis.getDescription()).startsWith("The API-key starter cannot use apikey.admin.enabled = 'true'")
                .contains("the one the starter builds from apikey.routes")
                .contains("ApiKeyConfigurer.apiKeys()").contains("form login").contains("hasRole(\"APIKEY_ADMIN\")");
    }

    @Test
    void theConsoleWithoutSpringSecurityFailsTheStartSayingWhatItNeeds() {
        FailureAnalysis analysis = analysisOf(WebApplicationType.SERVLET,
                new FilteredClassLoader("org.springframework.security", "org.springframework.boot.security"),
                "apikey.admin.enabled=true", "apikey.routes[0]=GET /api/v1/events -> events:read");

        assertThat(analysis.getDescription()).startsWith("The API-key starter cannot use apikey.admin.enabled = 'true'")
                .contains("without Spring Security").contains("spring-boot-starter-security");
    }
}
