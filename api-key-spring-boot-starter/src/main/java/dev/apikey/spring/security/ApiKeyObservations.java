package dev.apikey.spring.security;

import dev.apikey.model.ApiKeyPrincipal;

/**
 * Where the filter reports each authentication by API key: to Micrometer's {@code ObservationRegistry} when the
 * host has one ({@link MicrometerObservations}), else nowhere. Kept free of Micrometer's types, so that the filter
 * loads without Micrometer on the class path.
 */
interface ApiKeyObservations {

    /** Reports nothing. */
    ApiKeyObservations NONE = parent -> Authentication.NONE;

    /** The code of an authentication that ended in an exception or was cancelled, not in an answer. */
    String ERROR = "error";

    /**
     * The key under which a request's observation lives in its Reactor context (Micrometer's
     * {@code ObservationThreadLocalAccessor.KEY}, where Spring WebFlux's {@code HttpWebHandlerAdapter} puts its
     * {@code http.server.requests} observation): on WebFlux, the parent of each authentication.
     */
    String REACTOR_CONTEXT_KEY = "micrometer.observation";

    /**
     * {@return one authentication, started now, as a child of the current observation of this thread, if any: end
     * it, whatever happens, or its span stays open}
     */
    default Authentication start() {
        return start(null);
    }

    /**
     * {@return one authentication, started now, as a child of {@code parent}: end it, whatever happens, or its span
     * stays open}
     *
     * @param parent the parent observation (a Micrometer {@code Observation}, typed {@code Object} so that this
     *               interface loads without Micrometer); {@code null} or another object: the current observation
     *               of this thread, if any
     */
    Authentication start(Object parent);

    /** One authentication: ended by exactly one of its methods. */
    interface Authentication {

        /** Ends nothing. */
        Authentication NONE = new Authentication() {
            @Override
            public void granted(ApiKeyPrincipal key) {
            }

            @Override
            public void refused(String code) {
            }
        };

        /**
         * The key was granted.
         *
         * @param key the key's principal (its id and tenant, never its secret)
         */
        void granted(ApiKeyPrincipal key);

        /**
         * The request was refused.
         *
         * @param code the failure code, e.g. {@code invalid_api_key}
         */
        void refused(String code);
    }
}
