package dev.apikey.parity;

import java.util.Map;

/**
 * An adapter's answer, in one form for HTTP and gRPC.
 *
 * @param httpStatus the HTTP status; -1 for gRPC
 * @param grpcStatus the gRPC status code's name ({@code OK}, {@code UNAUTHENTICATED}, ...); null for HTTP
 * @param headers    HTTP: the response headers, lower-case names; gRPC: {@code retry-info} (the RetryInfo delay in
 *                   seconds) where the details hold one
 * @param members    HTTP: the problem body's members (strings and numbers); gRPC: from the status details'
 *                   ErrorInfo ({@code code} its reason, {@code domain}, {@code title}, {@code resolution},
 *                   {@code missing_scope}) and {@code detail} the status description; empty when granted
 * @param principal  the key id the protected resource saw as its caller, or null
 * @param raw        the body (HTTP) or status (gRPC), for messages; never holds a secret of a case's key
 */
record Answer(int httpStatus, String grpcStatus, Map<String, String> headers, Map<String, Object> members,
        String principal, String raw) {

    /** {@return the header's value (lower-case name), or null} */
    String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return (grpcStatus == null ? String.valueOf(httpStatus) : grpcStatus) + " " + members.get("code") + " " + raw;
    }
}
