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

    /** Takes a key's countries (and how many it dropped) from its cells, into the hour of {@code minute}. */
    void take(UsageCells cells, String keyId, String tenantId, Instant minute) {
        if (cells == null) {
            return;
        }
        String[] codes = cells.takeCountries();
        long over = cells.takeCountriesDropped();
        if (over > 0) {
            // A key seen from more than MAX_COUNTRIES countries in one interval: the rest are not kept.
            LOG.info("key {} was seen from more than {} countries in one flush interval; {} more were not kept",
                    keyId, UsageCells.MAX_COUNTRIES, over);
        }
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
    void write(UsageStore store, int batch) {
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
