package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo key's curl line names the port the example listens on, not 8080 whatever the port. */
@ExtendWith(OutputCaptureExtension.class)
class DemoKeyLineTest {

    @Test
    void theCurlLineNamesThePortTheServerListensOn(CapturedOutput output) {
        try (ConfigurableApplicationContext app = SpringApplication.run(SeedApiApplication.class, "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:demo-line;DB_CLOSE_DELAY=-1", "--spring.main.banner-mode=off",
                "--logging.level.root=warn")) {
            String port = app.getEnvironment().getProperty("local.server.port");
            assertThat(port).isNotNull().isNotEqualTo("8080");
            assertThat(output.getOut()).contains("Demo API key (shown once): ")
                    .contains("' http://127.0.0.1:" + port + "/api/v1/events\n")
                    .doesNotContain("127.0.0.1:8080");
        }
    }
}
