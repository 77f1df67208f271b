package dev.apikey.testkit;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;

/** {@link SecretLeakCheck} for jqwik: fails a property container during which a secret-shaped string was logged. */
public final class SecretLeakPropertyCheck implements AfterContainerHook {

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        SecretLeakCheck.failOnLeaks();
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }
}
