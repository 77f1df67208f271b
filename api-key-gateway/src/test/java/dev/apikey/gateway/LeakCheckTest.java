package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.testkit.SecretLeakDetector;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The suite-wide secret-leak check watches this module: a key-shaped string logged at TRACE is caught. */
class LeakCheckTest {

    @Test
    void aSecretLoggedAtAnyLevelIsCaught() {
        LoggerFactory.getLogger(GatewayKeyCheck.class).trace("leaked {}", "wlcro_" + "Ab1".repeat(16));
        assertThat(SecretLeakDetector.drain()).singleElement().asString().contains("GatewayKeyCheck");
    }
}
