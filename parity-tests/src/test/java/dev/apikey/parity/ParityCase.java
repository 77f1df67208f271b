package dev.apikey.parity;

import dev.apikey.model.Failure;

/**
 * One row of the table: a name, how to set it up (a key in some state, and the request), and what every adapter
 * must answer: the failure, or granted (a null failure) with the caller's key id reaching the resource.
 *
 * @param name    what the case is, e.g. {@code revoked key}
 * @param failure the expected refusal, or null for granted
 * @param setup   puts the fixture in the case's state and says the request
 */
record ParityCase(String name, Failure failure, Setup setup) {

    /** Puts a key in a state and says the request to send. */
    @FunctionalInterface
    interface Setup {
        /**
         * @param fixture the suite's verifier
         * @return the request and, for a granted case, the key id the resource must see
         * @throws Exception if the state cannot be made
         */
        Prepared prepare(Fixture fixture) throws Exception;
    }

    /**
     * A prepared request.
     *
     * @param ask     the request
     * @param keyId   granted: the key id the resource sees as its caller; else null
     */
    record Prepared(Ask ask, String keyId) {
        static Prepared of(Ask ask) {
            return new Prepared(ask, null);
        }
    }

    /** {@return the code the case expects, or {@code granted}} */
    String code() {
        return failure == null ? "granted" : failure.code();
    }

    @Override
    public String toString() {
        return name;
    }
}
