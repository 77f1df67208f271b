package dev.apikey.spring.metrics;

import dev.apikey.ApiKeyStats;
import dev.apikey.ApiKeys;
import dev.apikey.model.Failure;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The core's {@link ApiKeys#stats()} as Micrometer meters. Names (dots; Prometheus shows them with underscores):
 * <ul>
 * <li>{@code apikey.verifies} (counter, tag {@code outcome}: {@code granted} or a failure code)</li>
 * <li>{@code apikey.cache.size} (gauge), {@code apikey.cache.hit.ratio} (gauge, 0 to 1, since start),
 * {@code apikey.cache.hits}, {@code apikey.cache.misses} (counters)</li>
 * <li>{@code apikey.store.loads}, {@code apikey.store.load.failures} (counters)</li>
 * <li>{@code apikey.hash.checks}, {@code apikey.hash.waits}, {@code apikey.hash.refusals} (counters: stored-hash
 * checks run, waiting for a slot, and refused with {@code overloaded})</li>
 * <li>{@code apikey.rate.limited} (counter)</li>
 * <li>{@code apikey.change.feed.lag} (gauge, seconds since the store's change feed was last read; -1 without
 * one)</li>
 * </ul>
 * Verify latency is {@link ApiKeyVerifyTimers}'s {@code apikey.verify.duration}. Each meter reads a fresh
 * snapshot; nothing holds a secret or a key.
 */
public final class ApiKeyMetrics implements MeterBinder {

    private final ApiKeys apiKeys;

    /**
     * Meters for this instance.
     *
     * @param apiKeys the verifier
     */
    public ApiKeyMetrics(ApiKeys apiKeys) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "apikey.verifies", "verifies answered granted", s -> s.verifies(ApiKeyStats.GRANTED),
                "outcome", ApiKeyStats.GRANTED);
        for (Failure f : Failure.builtIns()) {
            String code = f.code();
            counter(registry, "apikey.verifies", "verifies refused with this code", s -> s.verifies(code),
                    "outcome", code);
        }
        Gauge.builder("apikey.cache.size", apiKeys, k -> k.stats().cacheSize())
                .description("keys held in the verify cache").register(registry);
        Gauge.builder("apikey.cache.hit.ratio", apiKeys, k -> {
            ApiKeyStats s = k.stats();
            long all = s.cacheHits() + s.cacheMisses();
            return all == 0 ? 0 : (double) s.cacheHits() / all;
        }).description("share of well-formed keys answered from the cache, since start").register(registry);
        counter(registry, "apikey.cache.hits", "well-formed keys answered from the cache", ApiKeyStats::cacheHits);
        counter(registry, "apikey.cache.misses", "well-formed keys read from the store", ApiKeyStats::cacheMisses);
        counter(registry, "apikey.store.loads", "store reads on cache misses", ApiKeyStats::loads);
        counter(registry, "apikey.store.load.failures", "store reads that failed", ApiKeyStats::loadFailures);
        counter(registry, "apikey.hash.checks", "stored-hash checks run", ApiKeyStats::hashChecks);
        counter(registry, "apikey.hash.waits", "hash checks that waited for a slot", ApiKeyStats::bulkheadWaits);
        counter(registry, "apikey.hash.refusals", "hash checks refused as overloaded", ApiKeyStats::bulkheadRefusals);
        counter(registry, "apikey.rate.limited", "verifies refused by a rate limit", ApiKeyStats::rateLimited);
        Gauge.builder("apikey.change.feed.lag", apiKeys, k -> {
            long lag = k.stats().changeFeedLagMillis();
            return lag < 0 ? -1 : lag / 1000.0;
        }).baseUnit("seconds").description("time since the store's change feed was last read").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ApiKeyStats> read,
            String... tags) {
        FunctionCounter.builder(name, apiKeys, k -> read.applyAsDouble(k.stats())).description(description)
                .tags(tags).register(registry);
    }
}
