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
 * later (connection failures, timeouts, 408, 425, 429, 5xx) or give up (3xx, other 4xx).
 *
 * <p>Package-private; thread-safe.
 */
final class Courier {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookChannel.class);

    /** What became of an attempt. */
    enum Outcome { DELIVERED, RETRY, GIVE_UP, REFUSED }

    /** An endpoint: its URL, its signer, and the rules its address must meet at delivery (null: the host's). */
    record Target(URI url, WebhookSigner signer, EndpointRules rules, String label) {
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

    Outcome attempt(Target target, WebhookEvent event, int attempt) {
        if (target.rules() != null) {
            // Checked again now: the name may resolve elsewhere than at registration (DNS rebinding). The client
            // resolves it once more to connect, through the JVM's address cache that this lookup has just filled.
            try {
                target.rules().check(target.url().toString());
            } catch (WebhookUrlException e) {
                LOG.warn("webhook {} to {} refused at delivery: {}", event.id(), target.label(), e.getMessage());
                return Outcome.REFUSED;
            } catch (UnknownHostException e) {
                LOG.info("webhook {} to {}: host did not resolve (attempt {})", event.id(), target.label(), attempt);
                return Outcome.RETRY;
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
        int status;
        try {
            // The request timeout covers the wait for the answer's head; this covers the body too.
            status = call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException | ExecutionException e) {
            call.cancel(true);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.info("webhook {} to {} failed (attempt {}): {}", event.id(), target.label(), attempt,
                    cause.getClass().getSimpleName());
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        }
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        boolean retry = status >= 500 || status == 408 || status == 425 || status == 429;
        LOG.info("webhook {} to {} answered {} (attempt {}){}", event.id(), target.label(), status, attempt,
                retry ? "" : ": not retried");
        return retry ? Outcome.RETRY : Outcome.GIVE_UP;
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
