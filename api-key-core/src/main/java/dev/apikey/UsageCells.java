package dev.apikey;

import dev.apikey.model.Failure;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One series' refusal counts in memory, until {@link UsageCounter} takes them: by built-in failure, and host failures
 * by code; and its grants once threads collided counting them in the cache entry. Made on a key's first refusal or
 * collision (a key granted on one thread at a time, and never refused, has none: its grants are counted in its entry). Counts are taken with {@link LongAdder#sumThenReset()}, which swaps each cell for zero, so that a
 * refusal counted during a flush is in this flush or the next, never lost and never counted twice.
 *
 * <p>Thread-safe. Package-private.
 */
final class UsageCells {

    private static final int BUILT_INS = Failure.builtIns().size();
    /** Host failures kept per series: they are made by the host's policy, and bounded so that one cannot grow. */
    private static final int MAX_HOST_CODES = 64;
    private static final VarHandle UNPROVEN_NETWORKS;

    static {
        try {
            UNPROVEN_NETWORKS = MethodHandles.lookup().findVarHandle(UsageCells.class, "unprovenNetworks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LongAdder[] refusals = new LongAdder[BUILT_INS];
    /** The key's grants once two threads collided counting them in its cache entry. */
    private final LongAdder stripedGrants = new LongAdder();
    /** The most countries kept per flush interval; beyond, they are dropped and counted. */
    static final int MAX_COUNTRIES = 8;
    /** The countries learnt since the last take (off the hit: a new network of a proven outcome); guarded by this. */
    private String[] countries;
    private int countryCount;
    private long countriesDropped;
    /** Host failures by code; made on the first. */
    private volatile ConcurrentHashMap<String, LongAdder> hostRefusals;
    /**
     * The network sketch of refusals anybody can cause by naming the key ({@link UnprovenOutcomes}), kept apart from the
     * entry's so that anomaly detection never reads a network an attacker chose.
     */
    @SuppressWarnings("unused")
    private volatile long unprovenNetworks;

    UsageCells() {
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** Adds a network bit to the sketch of unproven refusals. */
    void unprovenSeen(long networkBit) {
        if ((unprovenNetworks & networkBit) == 0) {
            UNPROVEN_NETWORKS.getAndBitwiseOr(this, networkBit);
        }
    }

    /** {@return the sketch of unproven refusals since the last take, reset} */
    long takeUnprovenNetworks() {
        return (long) UNPROVEN_NETWORKS.getAndSet(this, 0L);
    }

    /** Puts back unproven bits taken with nothing to write them with. */
    void restoreUnprovenNetworks(long bits) {
        UNPROVEN_NETWORKS.getAndBitwiseOr(this, bits);
    }

    /** Remembers a country until the next take: at most {@link #MAX_COUNTRIES}, each once. */
    synchronized void countrySeen(String country) {
        for (int i = 0; i < countryCount; i++) {
            if (countries[i].equals(country)) {
                return;
            }
        }
        if (countryCount == MAX_COUNTRIES) {
            countriesDropped++;
            return;
        }
        if (countries == null) {
            countries = new String[MAX_COUNTRIES];
        }
        countries[countryCount++] = country;
    }

    /** {@return the countries since the last take, or {@code null} if none; resets them} */
    synchronized String[] takeCountries() {
        if (countryCount == 0) {
            return null;
        }
        String[] out = java.util.Arrays.copyOf(countries, countryCount);
        java.util.Arrays.fill(countries, null);
        countryCount = 0;
        return out;
    }

    /** {@return the countries dropped (past {@link #MAX_COUNTRIES} in one interval) since the last take; resets} */
    synchronized long takeCountriesDropped() {
        long n = countriesDropped;
        countriesDropped = 0;
        return n;
    }

    /** {@return the striped grant counter} */
    LongAdder stripedGrants() {
        return stripedGrants;
    }

    /** A refusal: {@code index} of a built-in failure, or -1 with the failure of a host. */
    void refused(int index, Failure failure) {
        if (index >= 0) {
            refusals[index].increment();
        } else {
            hostRefused(failure.code());
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
        LongAdder n = host.get(code);
        if (n == null) {
            if (host.size() >= MAX_HOST_CODES) {
                return;
            }
            n = host.computeIfAbsent(code, c -> new LongAdder());
        }
        n.increment();
    }

    /** {@return the refusals of built-in failure {@code index} since the last take, and resets them} */
    long takeRefusals(int index) {
        return refusals[index].sumThenReset();
    }

    /** {@return the number of built-in failures counted here} */
    int builtIns() {
        return refusals.length;
    }

    /** Host failures' counters (take each with {@code sumThenReset}), or {@code null}. */
    ConcurrentHashMap<String, LongAdder> hostRefusals() {
        return hostRefusals;
    }
}
