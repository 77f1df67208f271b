package dev.apikey.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any JUnit Jupiter test during which {@link SecretLeakDetector} saw a secret-shaped string in a log line.
 * Registered through the service loader for every test of this module and, through the core's test jar, of
 * api-key-jdbc and api-key-servlet; {@link SecretLeakPropertyCheck} does the same for jqwik properties.
 */
public final class SecretLeakCheck implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** What a class's set-up (or a thread still running from before) logged fails the next test. */
    @Override
    public void beforeEach(ExtensionContext context) {
        failOnLeaks();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks();
    }

    public static void failOnLeaks() {
        if (!SecretLeakDetector.LEAKS.isEmpty()) {
            String leaks = String.join("\n", SecretLeakDetector.LEAKS);
            SecretLeakDetector.LEAKS.clear();
            throw new AssertionError("secret-shaped text was logged:\n" + leaks);
        }
    }
}
