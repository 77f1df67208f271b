package dev.apikey.parity;

import dev.apikey.model.Failure;

/**
 * One row of the table: a name, how to set it up (a key in some state, and the request), and what every adapter
 * must answer: the failure, or granted (a null failure) with the caller's key id reaching the resource.
 *
 * @param name    what the case is, e.g. {@code revoked key}
 * @param failure the expected refusal, or null for granted
 * @param setup      puts the fixture in the case's state and says the request
 * @param detail     the refusal's detail where it is not the failure's own (it names a header, a scope, a limit)
 * @param grpcDetail the gRPC status description where it is not {@code detail} (it names metadata)
 */
record ParityCase(String name, Failure failure, Setup setup, String detail, String grpcDetail) {

    /** A case whose refusal has the failure's own detail. */
    ParityCase(String name, Failure failure, Setup setup) {
        this(name, failure, setup, null, null);
    }

    /** {@return this case with a detail of its own, the same in HTTP and gRPC} */
    ParityCase detail(String http) {
        return new ParityCase(name, failure, setup, http, null);
    }

    /** {@return this case with a detail of its own, worded for metadata in gRPC} */
    ParityCase detail(String http, String grpc) {
        return new ParityCase(name, failure, setup, http, grpc);
    }

    /** {@return the detail (gRPC: the status description) the refusal must have} */
    String expectedDetail(boolean grpc) {
        if (grpc && grpcDetail != null) {
            return grpcDetail;
        }
        return detail != null ? detail : failure.detail();
    }

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
