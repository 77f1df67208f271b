package dev.apikey.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A webhook receiver on 127.0.0.1 over real HTTP (the JDK's server), for the channel's tests: it records every
 * request, answers the status {@code statuses} gives for the n-th request (1-based; a 503 with {@code Retry-After: 1}),
 * and while {@link #hold} is
 * closed keeps each request waiting (at most 60 s, a test's bound) before answering.
 */
final class Receiver implements AutoCloseable {

    /** A request as received. */
    record Request(String path, String id, String timestamp, String signature, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger arrived = new AtomicInteger();
    /** When each answer was sent, by {@link System#nanoTime()}. */
    final List<Long> times = new CopyOnWriteArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    Receiver(int port, IntUnaryOperator statuses) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            int n = arrived.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            requests.add(new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body));
            int status = statuses.applyAsInt(n);
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            if (status == 503) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
            times.add(System.nanoTime());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** A receiver on a free port answering every request with 204. */
    static Receiver ok() {
        return new Receiver(0, n -> 204);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
