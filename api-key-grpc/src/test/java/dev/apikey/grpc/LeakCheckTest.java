package dev.apikey.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.testkit.SecretLeakDetector;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The suite-wide secret-leak check watches this module: a key-shaped string logged at TRACE is caught. */
class LeakCheckTest {

    @Test
    void aSecretLoggedAtAnyLevelIsCaught() {
        LoggerFactory.getLogger(ApiKeyServerInterceptor.class).trace("leaked {}", "grpct_" + "Ab1".repeat(16));
        assertThat(SecretLeakDetector.drain()).singleElement().asString().contains("ApiKeyServerInterceptor");
    }
}
