package dev.apikey.spring.security;

import dev.apikey.model.ApiKeyPrincipal;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Each authentication by API key as a Micrometer {@link Observation} named {@value #NAME} (a timer, and a span where
 * the host traces): the outcome and the failure code as low-cardinality key values (tags), the key's id and tenant
 * as high-cardinality ones (on spans only). Nothing secret: the key id is its public part.
 */
final class MicrometerObservations implements ApiKeyObservations {

    /** The observation's name. */
    static final String NAME = "apikey.authentication";
    /** {@code granted} or {@code refused}. */
    static final String OUTCOME = "apikey.outcome";
    /** The failure code, or {@code none} when granted. */
    static final String CODE = "apikey.code";
    /** The granted key's id (high cardinality). */
    static final String KEY_ID = "apikey.key_id";
    /** The granted key's tenant, if it has one (high cardinality). */
    static final String TENANT = "apikey.tenant";

    private final ObservationRegistry registry;

    private MicrometerObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** {@return the context's registry's observations, or none without Micrometer or a registry} */
    static ApiKeyObservations of(ApplicationContext context) {
        if (!ClassUtils.isPresent("io.micrometer.observation.ObservationRegistry",
                MicrometerObservations.class.getClassLoader())) {
            return NONE;
        }
        return Registry.of(context);
    }

    @Override
    public Authentication start(Object parent) {
        // Without an explicit parent, Micrometer's current observation of this thread (the servlet request's).
        Observation observation = Observation.createNotStarted(NAME, registry);
        if (parent instanceof Observation request) {
            observation.parentObservation(request);
        }
        observation.contextualName("api-key authentication").start();
        return new Authentication() {
            @Override
            public void granted(ApiKeyPrincipal key) {
                observation.lowCardinalityKeyValue(OUTCOME, "granted").lowCardinalityKeyValue(CODE, "none")
                        .highCardinalityKeyValue(KEY_ID, key.keyId());
                key.tenantId().ifPresent(t -> observation.highCardinalityKeyValue(KeyValue.of(TENANT, t)));
                observation.stop();
            }

            @Override
            public void refused(String code) {
                observation.lowCardinalityKeyValue(OUTCOME, "refused").lowCardinalityKeyValue(CODE, code).stop();
            }
        };
    }

    /** The registry lookup, in a class of its own so that Micrometer's types load only when present. */
    private static final class Registry {
        static ApiKeyObservations of(ApplicationContext context) {
            ObservationRegistry registry = context.getBeanProvider(ObservationRegistry.class).getIfAvailable();
            return registry == null || registry.isNoop() ? NONE : new MicrometerObservations(registry);
        }
    }
}
