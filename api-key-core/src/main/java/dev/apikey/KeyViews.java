package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.Quota;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.StoredKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored keys into {@link ApiKeyInfo} views: the hint, the status at a time, the last use this instance has
 * not written yet, the calls left in the quota. Shared by the lifecycle and the queries.
 *
 * <p>Thread-safe. Package-private.
 */
final class KeyViews {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");

    private final String prefix;
    private final Clock clock;
    private final KeyCache cache;
    private final Meter meter;

    KeyViews(ApiKeysConfig config, KeyCache cache) {
        this.prefix = config.prefix();
        this.clock = config.clock();
        this.cache = cache;
        this.meter = config.meter();
    }

    /** Stores keep millisecond precision, so every instant the lifecycle writes has it too. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    ApiKeyInfo info(StoredKey r) {
        return info(r, now());
    }

    ApiKeyInfo info(StoredKey r, Instant now) {
        Instant lastUsed = r.lastUsedAt();
        long unflushed = cache.unflushedLastUse(r.keyId());
        if (unflushed > 0 && (lastUsed == null || lastUsed.toEpochMilli() < unflushed)) {
            lastUsed = Instant.ofEpochMilli(unflushed);
        }
        return MODEL.info(r.keyId(), r.attributes(), r.createdAt(), r.revokedAt(), r.disabledAt(), r.replacedBy(),
                r.version(), hint(r), lastUsed, status(r, now), quotaRemaining(r, now),
                dev.apikey.spi.LegacyHash.isLegacy(r.secretHash()));
    }

    /** The calls left in the key's quota now, or -1 without a quota or when the counter cannot say. */
    private long quotaRemaining(StoredKey r, Instant now) {
        Quota quota = r.attributes().quota().orElse(null);
        if (quota == null) {
            return -1;
        }
        try {
            return Math.max(0, quota.calls() - meter.used(Metered.key(r.lineage(), quota), now.toEpochMilli()));
        } catch (RuntimeException e) {
            LOG.debug("meter unreadable for key {}: {}", r.keyId(), e.toString());
            return -1;
        }
    }

    String hint(StoredKey r) {
        return KeyLayout.hint(prefix, r.tenantId(), r.keyId());
    }

    static ApiKeyInfo.Status status(StoredKey r, Instant now) {
        // One rule, the one stores filter pages by.
        return dev.apikey.spi.KeyFilter.status(r, now);
    }
}
