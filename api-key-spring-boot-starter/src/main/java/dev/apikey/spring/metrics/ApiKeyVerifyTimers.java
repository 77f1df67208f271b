package dev.apikey.spring.metrics;

import dev.apikey.model.Verification;
import dev.apikey.spi.VerifyObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Verify latency as the timer {@code apikey.verify.duration}, tag {@code cache}: {@code hit} (answered from the
 * cache), {@code miss} (read from the store) or {@code none} (refused before any lookup: no key, or not a key of
 * this environment). Three timers made once; recording allocates nothing.
 */
public final class ApiKeyVerifyTimers implements VerifyObserver {

    private final Timer hit;
    private final Timer miss;
    private final Timer none;

    /**
     * Timers in this registry.
     *
     * @param registry the registry
     */
    public ApiKeyVerifyTimers(MeterRegistry registry) {
        this.hit = timer(registry, "hit");
        this.miss = timer(registry, "miss");
        this.none = timer(registry, "none");
    }

    private static Timer timer(MeterRegistry registry, String cache) {
        return Timer.builder("apikey.verify.duration").description("time to verify a key").tag("cache", cache)
                .register(registry);
    }

    @Override
    public void observe(Verification outcome, Lookup lookup, long nanos) {
        Timer t = lookup == Lookup.HIT ? hit : lookup == Lookup.MISS ? miss : none;
        t.record(nanos, TimeUnit.NANOSECONDS);
    }
}
