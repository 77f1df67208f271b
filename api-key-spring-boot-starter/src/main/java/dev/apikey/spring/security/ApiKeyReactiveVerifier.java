package dev.apikey.spring.security;

import dev.apikey.ApiKeys;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Verifies keys for a reactive application without blocking its event loop: a verify the core can answer from its
 * cache and in-process work ({@link ApiKeys#verifyNow}) is answered on the calling thread; one that needs a check
 * that may block (a store read, a stored-hash check, a shared meter, a host's access policy) runs on a bounded
 * scheduler of its own, and the answer comes back from there. Either way the outcome is what
 * {@link ApiKeys#verify(VerifyRequest)} answers, but when every thread of the scheduler is busy and its queue full:
 * then {@link Verification#overloaded()}, without judging the key. Close it (the starter does, with the context) to
 * stop the scheduler's threads.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyReactiveVerifier implements AutoCloseable {

    /** The prefix of the offloading threads' names. */
    public static final String THREAD_PREFIX = "apikey-verify";
    private static final int IDLE_SECONDS = 60;

    private final ApiKeys apiKeys;
    private final Scheduler scheduler;

    private ApiKeyReactiveVerifier(ApiKeys apiKeys, Scheduler scheduler) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.scheduler = scheduler;
    }

    /**
     * {@return a verifier offloading to a new bounded scheduler of daemon threads named
     * {@value #THREAD_PREFIX}-<i>n</i>}
     *
     * @param apiKeys the verifier
     * @param threads the most threads verifying at once, at least 1
     * @param queue   the most verifies waiting for a thread, at least 1; one more is answered
     *                {@link Verification#overloaded()} (503, retry after a second), the key not judged
     * @throws IllegalArgumentException if threads or queue is below 1
     */
    public static ApiKeyReactiveVerifier bounded(ApiKeys apiKeys, int threads, int queue) {
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException("threads and queue must be at least 1, were " + threads + " and "
                    + queue);
        }
        return new ApiKeyReactiveVerifier(apiKeys,
                Schedulers.newBoundedElastic(threads, queue, THREAD_PREFIX, IDLE_SECONDS, true));
    }

    /**
     * {@return the outcome of verifying this request, on the calling thread when nothing may block, else on the
     * bounded scheduler}
     *
     * @param request the key header and what the request asks for
     */
    public Mono<Verification> verify(VerifyRequest request) {
        Objects.requireNonNull(request, "request");
        return Mono.defer(() -> {
            Optional<Verification> now = apiKeys.verifyNow(request);
            return now.isPresent() ? Mono.just(now.get()) : offloaded(request);
        });
    }

    /**
     * {@return the outcome of verifying on the bounded scheduler} for a request {@link ApiKeys#verifyNow} answered
     * empty (the filter asks {@code verifyNow} itself, so that a cache hit needs no operator at all).
     */
    Mono<Verification> offloaded(VerifyRequest request) {
        return Mono.fromCallable(() -> apiKeys.verify(request)).subscribeOn(scheduler)
                // Every thread busy and the queue full: not judged, answered as the core's overload.
                .onErrorResume(RejectedExecutionException.class, e -> Mono.just(Verification.overloaded()));
    }

    /** {@return the verifier's {@link ApiKeys}} */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** Stops the scheduler's threads; a verify that may block fails afterwards. */
    @Override
    public void close() {
        scheduler.dispose();
    }

    @Override
    public String toString() {
        return "ApiKeyReactiveVerifier[" + scheduler + "]";
    }
}
