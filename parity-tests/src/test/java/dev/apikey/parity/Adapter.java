package dev.apikey.parity;

/**
 * One way of protecting an application with API keys, as the suite drives it: started once over the suite's
 * {@link dev.apikey.ApiKeys} with {@link Fixture#ROUTES} (a resource behind each that answers {@code ok <key id>}),
 * asked each case over a real socket on 127.0.0.1, stopped at the end. Adding an adapter is one class implementing
 * this, and one line in {@link AdapterParityTest#ADAPTERS}.
 */
interface Adapter {

    /** {@return the adapter's name in test names and in {@link NotApplicable}, e.g. {@code servlet-filter}} */
    String name();

    /**
     * Starts the adapter's server on 127.0.0.1, on a free port.
     *
     * @param fixture the verifier and its state
     * @throws Exception if it cannot start
     */
    void start(Fixture fixture) throws Exception;

    /**
     * Sends the request and reads the whole answer; bounded in time (10 s).
     *
     * @param ask the request
     * @return the answer
     * @throws Exception if it cannot be sent or read
     */
    Answer answer(Ask ask) throws Exception;

    /** Whether a refusal is a gRPC status (checked against {@link GrpcMapping}) rather than an HTTP problem. */
    default boolean grpc() {
        return false;
    }

    /**
     * Stops the server.
     *
     * @throws Exception if it cannot stop
     */
    void stop() throws Exception;
}
