package dev.apikey.webhooks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Configures a {@link WebhookChannel}: the host's endpoints, the tenants' registry, the queue, the retries and the
 * deadlines. Not thread-safe.
 */
public final class WebhookChannelBuilder {

    final List<Courier.Target> hostTargets = new ArrayList<>();
    TenantWebhooks tenants;
    int queueCapacity = 1_000;
    int workers = 2;
    int maxAttempts = 12;
    Duration firstRetry = Duration.ofSeconds(5);
    Duration maxRetry = Duration.ofHours(1);
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration callTimeout = Duration.ofSeconds(15);
    Clock clock = Clock.systemUTC();

    WebhookChannelBuilder() {
    }

    /**
     * Adds an endpoint of the host's that receives every event. The host vouches for it: http and private or loopback
     * addresses are allowed (only tenants' endpoints are held to public https).
     *
     * @param url    an absolute http or https URL
     * @param secret its signing secret, {@code whsec_} and base64 ({@link WebhookSigner#newSecret()} makes one)
     * @return this builder
     * @throws IllegalArgumentException if the URL is not absolute http(s) or the secret is malformed
     */
    public WebhookChannelBuilder endpoint(String url, String secret) {
        URI uri = URI.create(Objects.requireNonNull(url, "url"));
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http or https URL");
        }
        String label = "host endpoint " + (hostTargets.size() + 1) + " (" + scheme + "://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + ")";
        hostTargets.add(new Courier.Target(uri, new WebhookSigner(secret), null, label, null));
        return this;
    }

    /**
     * Delivers each event also to the endpoints its key's tenant registered, checked to be public at each delivery.
     *
     * @param registry the tenants' endpoints
     * @return this builder
     */
    public WebhookChannelBuilder tenantEndpoints(TenantWebhooks registry) {
        this.tenants = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Most tasks waiting for a worker (new events and attempts due); beyond it an event is dropped and counted. Also
     * the most retries waiting for their time (a receiver that is down for hours holds no more than this many).
     * Default 1,000.
     *
     * @param capacity 1 to 1,000,000
     * @return this builder
     */
    public WebhookChannelBuilder queueCapacity(int capacity) {
        this.queueCapacity = range("queueCapacity", capacity, 1, 1_000_000);
        return this;
    }

    /**
     * Threads that send; default 2. Each send holds one for at most the call timeout.
     *
     * @param threads 1 to 64
     * @return this builder
     */
    public WebhookChannelBuilder workers(int threads) {
        this.workers = range("workers", threads, 1, 64);
        return this;
    }

    /**
     * Attempts of one message to one endpoint before it is given up; default 12 (with the default backoff, 1 to 2.5
     * hours of retries).
     *
     * @param attempts 1 to 30
     * @return this builder
     */
    public WebhookChannelBuilder maxAttempts(int attempts) {
        this.maxAttempts = range("maxAttempts", attempts, 1, 30);
        return this;
    }

    /**
     * The backoff: the wait after the first failed attempt, doubled after each further one up to {@code max}, each
     * wait jittered to between half and all of it. Default 5 s, up to 1 h.
     *
     * @param first the first wait, 1 ms to 1 h
     * @param max   the longest wait, from {@code first} to 1 day
     * @return this builder
     */
    public WebhookChannelBuilder backoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.toMillis() < 1 || first.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("backoff first must be 1 ms to 1 h");
        }
        if (max.compareTo(first) < 0 || max.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("backoff max must be from first to 1 day");
        }
        this.firstRetry = first;
        this.maxRetry = max;
        return this;
    }

    /**
     * The deadlines of one attempt: to connect, and for the whole call (answer and body). Default 5 s and 15 s.
     *
     * @param connect to connect, 1 ms to 1 min
     * @param call    for the whole call, from {@code connect} to 2 min
     * @return this builder
     */
    public WebhookChannelBuilder timeouts(Duration connect, Duration call) {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(call, "call");
        if (connect.toMillis() < 1 || connect.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("connect timeout must be 1 ms to 1 min");
        }
        if (call.compareTo(connect) < 0 || call.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new IllegalArgumentException("call timeout must be from the connect timeout to 2 min");
        }
        this.connectTimeout = connect;
        this.callTimeout = call;
        return this;
    }

    /**
     * The clock of event times and {@code webhook-timestamp}; default UTC.
     *
     * @param clock the clock
     * @return this builder
     */
    public WebhookChannelBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** {@return the channel, its threads started} */
    public WebhookChannel build() {
        return new WebhookChannel(this);
    }

    private static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }
}
