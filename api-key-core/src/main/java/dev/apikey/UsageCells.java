package dev.apikey;

import dev.apikey.model.Failure;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One series' verify counts in memory, until {@link UsageCounter} writes them: grants, refusals by built-in failure,
 * host failures by code, and the sketch of source networks. Counters only grow; the flusher remembers how much of
 * each it wrote ({@link #flushedGrants}, {@link #flushedRefusals}), so that a count is never lost between a read
 * and a reset. A cached key's cells pass to the entry that replaces it on a reload, so reloads lose nothing.
 *
 * <p>Thread-safe: striped counters (a hit costs one uncontended add); the refusal counters are made on a key's first
 * refusal, once. The {@code flushed*} fields belong to the flusher, under its lock. Package-private.
 */
final class UsageCells {

    private static final int BUILT_INS = Failure.builtIns().size();
    private static final VarHandle REFUSALS;
    private static final VarHandle NETWORKS;
    private static final VarHandle UNPROVEN_NETWORKS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REFUSALS = lookup.findVarHandle(UsageCells.class, "refusals", LongAdder[].class);
            NETWORKS = lookup.findVarHandle(UsageCells.class, "networks", long.class);
            UNPROVEN_NETWORKS = lookup.findVarHandle(UsageCells.class, "unprovenNetworks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The key id, or {@link dev.apikey.spi.UsageCount#UNKNOWN_KEY}. */
    final String keyId;
    /** The key's tenant, or {@code null}. */
    final String tenantId;
    private final LongAdder grants = new LongAdder();
    /** By built-in failure index; made on the first refusal. */
    private volatile LongAdder[] refusals;
    /** Host failures by code; made on the first. */
    private volatile ConcurrentHashMap<String, LongAdder> hostRefusals;
    /** ORed network bits since the last flush. */
    private volatile long networks;
    /** Those of refusals anybody can cause naming the key ({@link UnprovenOutcomes}), kept apart for anomalies. */
    private volatile long unprovenNetworks;

    long flushedGrants;
    long[] flushedRefusals;
    java.util.Map<String, Long> flushedHost;

    UsageCells(String keyId, String tenantId, boolean eager) {
        this.keyId = keyId;
        this.tenantId = tenantId;
        if (eager) {
            refusals = newRefusals();
        }
    }

    /** A grant, on the hot path: one add, and one write of the sketch the first time a network is seen. */
    void granted(long networkBit) {
        grants.increment();
        seen(networkBit);
    }

    /** A refusal: {@code index} of a built-in failure, or -1 with the failure of a host. */
    void refused(int index, Failure failure, long networkBit) {
        if (index >= 0) {
            LongAdder[] r = refusals;
            if (r == null) {
                r = newRefusals();
                if (!REFUSALS.compareAndSet(this, null, r)) {
                    r = refusals;
                }
            }
            r[index].increment();
            if (UnprovenOutcomes.isUnproven(index)) {
                if (networkBit != 0 && (unprovenNetworks & networkBit) == 0) {
                    UNPROVEN_NETWORKS.getAndBitwiseOr(this, networkBit);
                }
                return;
            }
        } else {
            hostRefused(failure.code());
        }
        seen(networkBit);
    }

    private void seen(long networkBit) {
        if (networkBit != 0 && (networks & networkBit) == 0) {
            NETWORKS.getAndBitwiseOr(this, networkBit);
        }
    }

    private void hostRefused(String code) {
        ConcurrentHashMap<String, LongAdder> host = hostRefusals;
        if (host == null) {
            synchronized (this) {
                host = hostRefusals;
                if (host == null) {
                    host = new ConcurrentHashMap<>();
                    hostRefusals = host;
                }
            }
        }
        // Host failures are few and made by the host's policy, which allocates anyway; bounded to 64 codes a key.
        LongAdder n = host.get(code);
        if (n == null) {
            if (host.size() >= 64) {
                return;
            }
            n = host.computeIfAbsent(code, c -> new LongAdder());
        }
        n.increment();
    }

    private static LongAdder[] newRefusals() {
        LongAdder[] r = new LongAdder[BUILT_INS];
        for (int i = 0; i < r.length; i++) {
            r[i] = new LongAdder();
        }
        return r;
    }

    long grants() {
        return grants.sum();
    }

    /** The refusal counters, or {@code null} if none was made. */
    LongAdder[] refusals() {
        return refusals;
    }

    /** Host failures' counters, or {@code null}. */
    ConcurrentHashMap<String, LongAdder> hostRefusals() {
        return hostRefusals;
    }

    /** Puts back bits taken with nothing to write them with. */
    void restoreNetworks(long bits, long unprovenBits) {
        NETWORKS.getAndBitwiseOr(this, bits);
        UNPROVEN_NETWORKS.getAndBitwiseOr(this, unprovenBits);
    }

    /** The sketch of unproven refusals since the last call, reset. */
    long takeUnprovenNetworks() {
        return (long) UNPROVEN_NETWORKS.getAndSet(this, 0L);
    }

    /** The sketch since the last call, reset: a bit set meanwhile goes to the next. */
    long takeNetworks() {
        return (long) NETWORKS.getAndSet(this, 0L);
    }
}
