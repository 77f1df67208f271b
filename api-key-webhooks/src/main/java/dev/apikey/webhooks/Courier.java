package dev.apikey.webhooks;

import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one message to one endpoint, over the JDK's HTTP client: signed at the attempt's time, redirects not
 * followed, the connect and the whole call each under a deadline. Decides what an answer means: delivered, try again
 * later (connection failures, timeouts, 408, 425, 429, 5xx; after at least the {@code Retry-After} seconds asked, up
 * to an hour), give up (3xx, other 4xx) or, for {@code 410 Gone}, give up and stop delivering to a tenant's endpoint.
 *
 * <p>Package-private; thread-safe.
 */
final class Courier {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookChannel.class);

    /** What became of an attempt. */
    enum Outcome { DELIVERED, RETRY, GIVE_UP, REFUSED, GONE }

    /** An outcome, and the wait the receiver asked for with {@code Retry-After} (seconds), or zero. */
    record Result(Outcome outcome, Duration retryAfter) {
        static Result of(Outcome outcome) {
            return new Result(outcome, Duration.ZERO);
        }
    }

    /** The longest {@code Retry-After} honoured: a receiver does not park a message for a day. */
    private static final long MAX_RETRY_AFTER_SECONDS = 3600;

    /**
     * An endpoint: its URL, its signer, the rules its address must meet at delivery (null: none), its label in logs,
     * and the tenant that registered it (null: the host's).
     */
    record Target(URI url, WebhookSigner signer, EndpointRules rules, String label, String tenantId) {
    }

    private final HttpClient client;
    private final Duration callTimeout;
    private final Clock clock;

    Courier(Duration connectTimeout, Duration callTimeout, Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.callTimeout = callTimeout;
        this.clock = clock;
    }

    Result attempt(Target target, WebhookEvent event, int attempt) {
        if (target.rules() != null) {
            // Checked again now: the name may resolve elsewhere than at registration (DNS rebinding). The client
            // resolves it once more to connect, through the JVM's address cache that this lookup has just filled.
            try {
                target.rules().check(target.url().toString());
            } catch (WebhookUrlException e) {
                LOG.warn("webhook {} to {} refused at delivery: {}", event.id(), target.label(), e.getMessage());
                return Result.of(Outcome.REFUSED);
            } catch (UnknownHostException e) {
                LOG.info("webhook {} to {}: host did not resolve (attempt {})", event.id(), target.label(), attempt);
                return Result.of(Outcome.RETRY);
            }
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target.url()).timeout(callTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "api-key-webhooks")
                .header("webhook-id", event.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", target.signer().sign(event.id(), timestamp, event.body()))
                .POST(HttpRequest.BodyPublishers.ofString(event.body())).build();
        CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        HttpResponse<Void> response;
        try {
            // The request timeout covers the wait for the answer's head; this covers the body too.
            response = call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            call.cancel(true);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.info("webhook {} to {} failed (attempt {}): {}", event.id(), target.label(), attempt,
                    cause.getClass().getSimpleName());
            return Result.of(Outcome.RETRY);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Result.of(Outcome.RETRY);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Result.of(Outcome.DELIVERED);
        }
        if (status == 410) {
            // The receiver says the endpoint is gone for good: the channel stops delivering to a tenant's.
            return Result.of(Outcome.GONE);
        }
        boolean retry = status >= 500 || status == 408 || status == 425 || status == 429;
        LOG.info("webhook {} to {} answered {} (attempt {}){}", event.id(), target.label(), status, attempt,
                retry ? "" : ": not retried");
        return retry ? new Result(Outcome.RETRY, retryAfter(response)) : Result.of(Outcome.GIVE_UP);
    }

    /** {@code Retry-After} in seconds (the date form is ignored), range-checked before use; zero if none. */
    private static Duration retryAfter(HttpResponse<Void> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").trim();
        if (!value.matches("[0-9]{1,9}")) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_RETRY_AFTER_SECONDS));
    }

    /**
     * The wait before attempt {@code attempt + 1}: exponential from {@code first}, capped at {@code max}, with
     * jitter between half and all of it, so that receivers that failed together are not retried together.
     */
    static Duration backoff(int attempt, Duration first, Duration max) {
        long base = first.toMillis();
        for (int i = 1; i < attempt && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        long half = base / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(base - half + 1));
    }
}
