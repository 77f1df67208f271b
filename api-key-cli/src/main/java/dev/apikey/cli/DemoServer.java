package dev.apikey.cli;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo's Jetty, built to stay up when clients are slow or many: it listens on 127.0.0.1 only, names no server
 * or version, closes connections idle for {@link #IDLE_TIMEOUT}, fails a request body that arrives slower than
 * {@link #MIN_REQUEST_DATA_RATE}, and lets at most {@link #MAX_BODY_READERS} requests at a time into the public
 * routes that read a body ({@link #PUBLIC_BODY_PATHS}); the others wait without a
 * thread, {@link #MAX_WAIT} at most, then get 503. Its {@link #MAX_THREADS} threads thus keep room for ordinary
 * calls while hundreds of clients trickle bodies into {@code POST /scanner/verify}.
 */
final class DemoServer {

    /** A connection that sends nothing for this long is closed, whether between requests or inside a body. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** Bytes per second a request body must arrive at (averaged from its first byte); slower bodies fail (408). */
    static final long MIN_REQUEST_DATA_RATE = 256;
    /** The server's threads. */
    static final int MAX_THREADS = 64;
    /** Requests at once on each of {@link #PUBLIC_BODY_PATHS}; the threads they can hold while reading a body. */
    static final int MAX_BODY_READERS = 8;
    /** Requests that may wait for one of those places; more are refused at once with 503. */
    static final int MAX_WAITING_BODY_READERS = 64;
    /** How long a request waits for a place before it is refused with 503. */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    /**
     * Routes the filter lets through that read a body: the scanner check (anyone), the console's API (once it knows
     * who). Each has places of its own, so anonymous senders to the scanner cannot take the console's.
     */
    static final String[] PUBLIC_BODY_PATHS = {"/scanner/*", "/admin/api-keys/*"};

    private DemoServer() {
    }

    /**
     * A server, not started, for the given application on 127.0.0.1.
     *
     * @param port the port, 0 for a free one
     * @param application what answers the requests
     * @return the server; its connector is {@code getConnectors()[0]}
     */
    static Server create(int port, Handler application) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("apikey-demo");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // No "Server: Jetty(12.x)": a version helps only whoever looks for a known flaw.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // One acceptor and two selectors whatever the core count: Jetty's defaults grow with the cores and could
        // take more threads than MAX_THREADS on a large machine.
        ServerConnector connector = new ServerConnector(server, 1, 2, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        // Jetty 12.1's replacement for HttpConfiguration's minimum request data rate: reads slower than this fail.
        MinimumDataRateHandler dataRate = new MinimumDataRateHandler(new SlowBodyIs408(application),
                MIN_REQUEST_DATA_RATE, 0);
        Handler handler = dataRate;
        for (String path : PUBLIC_BODY_PATHS) {
            QoSHandler bodyReaders = new QoSHandler(handler);
            bodyReaders.includePath(path);
            bodyReaders.setMaxRequestCount(MAX_BODY_READERS);
            bodyReaders.setMaxSuspendedRequestCount(MAX_WAITING_BODY_READERS);
            bodyReaders.setMaxSuspend(MAX_WAIT);
            handler = bodyReaders;
        }
        server.setHandler(handler);
        // Jetty's own 400/431/503 answers as problems too, not HTML pages.
        server.setErrorHandler(new ProblemErrorHandler());
        return server;
    }

    /**
     * A body read that timed out (too slow for the data rate, or idle) as the client's fault, 408: without this the
     * servlet sees an IOException and Jetty answers 500 and logs a warning per slow client.
     */
    private static final class SlowBodyIs408 extends Handler.Wrapper {

        SlowBodyIs408(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return super.handle(new Request.Wrapper(request) {
                @Override
                public Content.Chunk read() {
                    Content.Chunk chunk = super.read();
                    if (Content.Chunk.isFailure(chunk) && chunk.getFailure() instanceof TimeoutException) {
                        return Content.Chunk.from(new BadMessageException(HttpStatus.REQUEST_TIMEOUT_408,
                                "request body too slow"), true);
                    }
                    return chunk;
                }
            }, response, callback);
        }
    }

    /** The port the started server listens on. */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
