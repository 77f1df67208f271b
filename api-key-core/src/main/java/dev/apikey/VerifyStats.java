package dev.apikey;

import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The verify path's counters: grants, refusals by code, stored-hash checks and limiter failures. Only this class
 * writes them; the engine, the secret gate and the callouts call its methods. {@link ApiKeys#stats()} reads them.
 *
 * <p>Thread-safe: striped counters, so a grant costs one uncontended increment. Package-private.
 */
final class VerifyStats {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private final LongAdder granted = new LongAdder();
    private final LongAdder[] refusals = new LongAdder[Failure.builtIns().size()];
    private final ConcurrentHashMap<String, LongAdder> hostRefusals = new ConcurrentHashMap<>();
    private final LongAdder hashChecks = new LongAdder();
    private final LongAdder limiterFailures = new LongAdder();

    VerifyStats() {
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** A verify granted the key. */
    void granted() {
        granted.increment();
    }

    /** A verify refused with this failure, a built-in one or a host's. */
    void refused(Failure failure) {
        int index = MODEL.index(failure);
        if (index >= 0) {
            refusals[index].increment();
        } else {
            hostRefusals.computeIfAbsent(failure.code(), c -> new LongAdder()).increment();
        }
    }

    /** A stored-hash check ran. */
    void hashChecked() {
        hashChecks.increment();
    }

    /** {@return the limiter and quota counter failures so far, this one included} */
    long limiterFailed() {
        limiterFailures.increment();
        return limiterFailures.sum();
    }

    /** Verifies by outcome since start: {@code granted}, then every built-in code, then host codes seen. */
    Map<String, Long> outcomes() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(ApiKeyStats.GRANTED, granted.sum());
        List<Failure> builtIns = Failure.builtIns();
        for (int i = 0; i < builtIns.size(); i++) {
            counts.put(builtIns.get(i).code(), refusals[i].sum());
        }
        hostRefusals.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    long hashChecks() {
        return hashChecks.sum();
    }

    long limiterFailures() {
        return limiterFailures.sum();
    }
}
