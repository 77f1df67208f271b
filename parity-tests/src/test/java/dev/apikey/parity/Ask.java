package dev.apikey.parity;

import java.util.List;

/**
 * A request as a case sends it: method, target (path and query, as on the request line) and header lines
 * ({@code Name: value}, repeated names allowed). gRPC reads the method and path as a method name
 * ({@link GrpcAdapter#METHODS}) and the headers as metadata.
 *
 * @param method  {@code GET} or {@code POST}
 * @param target  the request target, e.g. {@code /api/v1/events?page=2}
 * @param headers the header lines, in order
 */
record Ask(String method, String target, List<String> headers) {

    /** {@return a GET of the target with these header lines} */
    static Ask get(String target, String... headers) {
        return new Ask("GET", target, List.of(headers));
    }

    /** {@return a POST of the target with these header lines} */
    static Ask post(String target, String... headers) {
        return new Ask("POST", target, List.of(headers));
    }

    /** {@return a GET of the events with the key in X-Api-Key} */
    static Ask events(String key) {
        return get("/api/v1/events", "X-Api-Key: " + key);
    }

    /** {@return the path, without a query} */
    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    @Override
    public String toString() {
        return method + " " + target; // never the headers: they hold keys
    }
}
