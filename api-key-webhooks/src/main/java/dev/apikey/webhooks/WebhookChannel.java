package dev.apikey.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikey.json.KeyJson;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyNotice;
import dev.apikey.model.WebhookEndpoint;
import dev.apikey.spi.KeyEventListener;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key events as signed webhooks (Standard Webhooks): a {@link KeyEventListener} that turns each key event into a
 * message ({@link WebhookEvent}) and delivers it, off the caller's thread, to the host's endpoints (every event) and
 * to the endpoints the key's tenant registered ({@link TenantWebhooks}: that tenant's events only). docs/WEBHOOKS.md
 * has the events, headers, verification and retries.
 *
 * <p>Never blocks the caller: an event is put on a bounded queue ({@link WebhookChannelBuilder#queueCapacity}) or, if it is full,
 * dropped, counted ({@link #stats()}) and logged. Workers look up the tenant's endpoints and send; a failed attempt is
 * tried again after an exponential backoff with jitter, until {@link WebhookChannelBuilder#maxAttempts}, then given up;
 * at most as many retries wait for their time as the queue holds, and one more is dropped and counted. Every
 * delivery has a connect deadline and a deadline on the whole call; redirects are not followed. Messages still queued
 * when the channel is closed are lost: delivery is at most once per attempt schedule, not durable.
 *
 * <pre>{@code
 * WebhookChannel webhooks = WebhookChannel.builder()
 *         .endpoint("https://ops.example.com/hooks/api-keys", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
 *         .build();
 * ApiKeys apiKeys = ApiKeys.builder().store(store)
 *         .listener(webhooks.alongside(new Slf4jAuditListener())).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WebhookChannel implements KeyEventListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookChannel.class);

    private final List<Courier.Target> hostTargets;
    private final TenantWebhooks tenants;
    private final Courier courier;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    /** Retries waiting for their time: at most {@link #retryCapacity}, so that a receiver long down holds no more. */
    private final java.util.concurrent.atomic.AtomicInteger retriesWaiting = new java.util.concurrent.atomic
            .AtomicInteger();
    private final int retryCapacity;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    WebhookChannel(WebhookChannelBuilder b) {
        this.hostTargets = List.copyOf(b.hostTargets);
        this.tenants = b.tenants;
        this.clock = b.clock;
        this.courier = new Courier(b.connectTimeout, b.callTimeout, b.clock);
        this.maxAttempts = b.maxAttempts;
        this.firstRetry = b.firstRetry;
        this.maxRetry = b.maxRetry;
        this.retryCapacity = b.queueCapacity;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(b.workers, b.workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(b.queueCapacity), r -> daemon(r, "apikey-webhook-" + n.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "apikey-webhook-retry"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** {@return a builder} */
    public static WebhookChannelBuilder builder() {
        return new WebhookChannelBuilder();
    }

    /** {@return what the channel has done so far} */
    public WebhookStats stats() {
        return new WebhookStats(delivered.get(), retried.get(), gaveUp.get(), dropped.get(), refused.get());
    }

    /**
     * {@return a listener that tells {@code other} every event, as it would hear it alone, and this channel its
     * events} For keeping the audit log ({@code Slf4jAuditListener}) next to webhooks: {@code ApiKeys} takes one
     * listener.
     *
     * @param other the listener to keep
     */
    public KeyEventListener alongside(KeyEventListener other) {
        return new Alongside(other, this);
    }

    /**
     * Queues a message for delivery, never blocking: dropped and counted if the queue is full.
     *
     * @param event the message
     */
    public void publish(WebhookEvent event) {
        submit(() -> fanOut(event), event);
    }

    private void submit(Runnable task, WebhookEvent event) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            drop(event, "the queue is full or the channel closed");
        }
    }

    private void drop(WebhookEvent event, String why) {
        long n = dropped.incrementAndGet();
        if (Long.bitCount(n) == 1) {   // the 1st, 2nd, 4th, 8th... drop: a full queue does not flood the log
            LOG.warn("webhook {} ({}) dropped: {} ({} dropped so far)", event.id(), event.type(), why, n);
        }
    }

    private void fanOut(WebhookEvent event) {
        List<Courier.Target> targets = new ArrayList<>(hostTargets);
        targets.addAll(tenantTargets(event));
        for (Courier.Target target : targets) {
            submit(() -> attempt(target, event, 1), event);
        }
    }

    /** A tenant's endpoints for its own event; none for a key without a tenant. Package-private for tests. */
    List<Courier.Target> tenantTargets(WebhookEvent event) {
        if (tenants == null || event.tenantId() == null) {
            return List.of();
        }
        List<Courier.Target> out = new ArrayList<>();
        try {
            for (WebhookEndpoint w : tenants.list(event.tenantId())) {
                if (!w.isDisabled()) {
                    out.add(new Courier.Target(URI.create(w.url()), new WebhookSigner(w.secret()), tenants.rules(),
                            w.webhookId(), w.tenantId()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook {}: tenant endpoints could not be read: {}", event.id(), e.toString());
        }
        return out;
    }

    private void attempt(Courier.Target target, WebhookEvent event, int attempt) {
        Courier.Result result = courier.attempt(target, event, attempt);
        switch (result.outcome()) {
            case DELIVERED -> delivered.incrementAndGet();
            case REFUSED -> refused.incrementAndGet();
            case GIVE_UP -> gaveUp.incrementAndGet();
            case GONE -> gone(target, event);
            case RETRY -> {
                if (attempt >= maxAttempts) {
                    gaveUp.incrementAndGet();
                    LOG.warn("webhook {} to {} given up after {} attempts", event.id(), target.label(), attempt);
                } else if (retriesWaiting.incrementAndGet() > retryCapacity) {
                    retriesWaiting.decrementAndGet();
                    drop(event, "as many retries as the queue holds are already waiting");
                } else {
                    retried.incrementAndGet();
                    try {
                        long wait = Math.max(Courier.backoff(attempt, firstRetry, maxRetry).toMillis(),
                                result.retryAfter().toMillis());
                        timer.schedule(() -> {
                            retriesWaiting.decrementAndGet();
                            submit(() -> attempt(target, event, attempt + 1), event);
                        }, wait, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException e) {
                        retriesWaiting.decrementAndGet();
                        dropped.incrementAndGet();
                    }
                }
            }
        }
    }

    /**
     * {@code 410 Gone}: given up; a tenant's endpoint is disabled in the store, so that every instance stops delivering
     * to it, and logged by the one instance whose write disabled it. A host's endpoint is the host's configuration:
     * logged at each such answer, as any other refusal.
     */
    private void gone(Courier.Target target, WebhookEvent event) {
        gaveUp.incrementAndGet();
        if (target.tenantId() == null || tenants == null) {
            LOG.info("webhook {} to {} answered 410 Gone: not retried", event.id(), target.label());
            return;
        }
        try {
            if (tenants.disable(target.tenantId(), target.label(), TenantWebhooks.GONE_REASON)) {
                LOG.warn("webhook endpoint {} of tenant {} answered 410 Gone to {}: disabled, no more deliveries "
                        + "until it is registered again", target.label(), target.tenantId(), event.id());
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook endpoint {} of tenant {} answered 410 Gone; disabling it failed: {}", target.label(),
                    target.tenantId(), e.toString());
        }
    }

    private void on(String type, ApiKeyInfo key, Consumer<ObjectNode> more) {
        publish(WebhookPayloads.of(type, key, clock.instant(), more));
    }

    @Override
    public void created(ApiKeyInfo key) {
        on("key.created", key, d -> { });
    }

    @Override
    public void rotated(ApiKeyInfo oldKey, ApiKeyInfo newKey) {
        on("key.rotated", newKey, d -> d.set("previous", KeyJson.write(oldKey)));
    }

    @Override
    public void updated(ApiKeyInfo before, ApiKeyInfo after) {
        on("key.updated", after, d -> d.set("before", KeyJson.write(before)));
    }

    @Override
    public void disabled(ApiKeyInfo key, String reason) {
        on("key.disabled", key, d -> d.put("reason", reason));
    }

    @Override
    public void enabled(ApiKeyInfo key) {
        on("key.enabled", key, d -> { });
    }

    @Override
    public void revoked(ApiKeyInfo key) {
        on("key.revoked", key, d -> { });
    }

    @Override
    public void leaked(ApiKeyInfo key, String source, boolean revoked) {
        on("key.leaked", key, d -> d.put("source", source).put("revoked", revoked));
    }

    @Override
    public void warned(KeyNotice notice) {
        on(WebhookPayloads.noticeType(notice.kind()), notice.key(), d -> d.put("due", notice.due().toString())
                .put("horizon", notice.horizon().toString()));
    }

    @Override
    public void anomaly(dev.apikey.model.Anomaly anomaly) {
        publish(WebhookPayloads.of(anomaly));
    }

    /** Verify refusals are not webhook events: hearing none keeps the verify path free of this channel. */
    @Override
    public boolean wantsRefusals() {
        return false;
    }

    /**
     * Stops delivering: queued and scheduled messages are dropped, attempts in flight get up to five seconds.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        workers.getQueue().clear();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
