package dev.apikey;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test (JUnit Jupiter, after each test) or property container (jqwik, after each class) during
 * which {@link SecretLeakDetector} saw a secret-shaped string in a log line. Registered for every test of
 * the module through the service loader.
 */
public final class SecretLeakCheck implements BeforeEachCallback, AfterEachCallback, AfterContainerHook {

    @Override
    public void beforeEach(ExtensionContext context) {
        SecretLeakDetector.LEAKS.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks();
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        failOnLeaks();
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    private static void failOnLeaks() {
        if (!SecretLeakDetector.LEAKS.isEmpty()) {
            String leaks = String.join("\n", SecretLeakDetector.LEAKS);
            SecretLeakDetector.LEAKS.clear();
            throw new AssertionError("secret-shaped text was logged:\n" + leaks);
        }
    }
}
