package dev.apikey;

import dev.apikey.spi.UsageCountry;
import dev.apikey.spi.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The countries keys were seen from, between flushes of {@link UsageCounter}: each key's countries taken from its
 * {@link UsageCells} at a flush, in the hour of that flush, then written with {@link UsageStore#addCountries} after
 * the counts. A failed write is kept for the next flush (at most {@link #MAX_PENDING}; past that the oldest are
 * dropped). Writing a country twice is harmless: the store keeps each hour, key and country once.
 *
 * <p>Not thread-safe: used under the lock of its {@link UsageCounter}. Package-private.
 */
final class UsageCountries {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.usage");
    static final int MAX_PENDING = 10_000;

    private final LinkedHashSet<UsageCountry> pending = new LinkedHashSet<>();
    private long dropped;
    /** Countries past {@link UsageCells#MAX_COUNTRIES} of one key in one interval, since the last line about them. */
    private long overflow;
    /** A key used from many countries (an app used worldwide) overflows every interval: one line a minute at most. */
    private final dev.apikey.internal.LogWindow overflowLog = new dev.apikey.internal.LogWindow(60_000);

    /** Takes a key's countries (and how many it dropped) from its cells, into the hour of {@code minute}. */
    void take(UsageCells cells, String keyId, String tenantId, Instant minute) {
        if (cells == null) {
            return;
        }
        String[] codes = cells.takeCountries();
        overflow += cells.takeCountriesDropped();
        if (codes == null) {
            return;
        }
        Instant hour = Instant.ofEpochSecond(Math.floorDiv(minute.getEpochSecond(), 3_600) * 3_600);
        for (String code : codes) {
            if (pending.size() >= MAX_PENDING) {
                pending.remove(pending.iterator().next());
                dropped++;
            }
            pending.add(new UsageCountry(hour, keyId, tenantId, code));
        }
    }

    /** Writes the pending countries in calls of at most {@code batch}; throws what the store threw, keeping the rest. */
    void write(UsageStore store, int batch, long nowMillis) {
        if (overflow > 0 && overflowLog.tryLog(nowMillis)) {
            LOG.info("{} countries of keys were not kept: a key is kept at most {} countries per flush interval (at "
                    + "most one line a minute)", overflow, UsageCells.MAX_COUNTRIES);
            overflow = 0;
        }
        if (dropped > 0) {
            LOG.warn("usage store unavailable too long: dropped {} countries of keys", dropped);
            dropped = 0;
        }
        while (!pending.isEmpty()) {
            List<UsageCountry> call = new ArrayList<>(Math.min(batch, pending.size()));
            for (UsageCountry c : pending) {
                if (call.size() == batch) {
                    break;
                }
                call.add(c);
            }
            store.addCountries(call);
            call.forEach(pending::remove);
        }
    }

    /** {@return how many wait for a write} */
    int pending() {
        return pending.size();
    }
}
