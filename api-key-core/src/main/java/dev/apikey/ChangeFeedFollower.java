package dev.apikey;

import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.ChangePush;
import dev.apikey.spi.KeyChanges;
import dev.apikey.spi.KeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the store's {@link ChangeFeed}, if it has one, so that a key created, revoked or rotated through another
 * instance (or a tenant suspended, its plan changed) is dropped from this instance's cache within one poll interval, not only when its entry goes stale; and
 * takes its {@link ChangePush}, if it has one, to drop them at once.
 *
 * <p>Thread-safe: polls are serialized. Package-private: {@link ApiKeys} schedules the polls.
 */
final class ChangeFeedFollower {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.changes");

    private final KeyStore store;
    /** The store's feed, or {@code null}. */
    private final ChangeFeed feed;
    private final KeyCache cache;
    private boolean started;
    private boolean supported;
    private long position;
    private boolean failing;
    private final java.time.Clock clock;
    /** When a poll (or the start) last read the feed, epoch millis; 0 before the first. */
    private volatile long readAtMillis;
    private volatile boolean hasFeed = true;

    ChangeFeedFollower(ApiKeysConfig config, KeyCache cache) {
        this.store = config.store();
        this.feed = store instanceof ChangeFeed f ? f : null;
        this.supported = feed != null;
        this.hasFeed = feed != null;
        this.cache = cache;
        this.clock = config.clock();
    }

    /**
     * How long ago the feed was last read: what another instance's revoke may wait for, at worst, beyond one poll.
     * {@code -1} if the store has no feed; the time since this follower was made if no read succeeded yet.
     */
    long lagMillis(long createdAtMillis) {
        if (!hasFeed) {
            return -1;
        }
        long read = readAtMillis;
        return Math.max(0, clock.millis() - (read == 0 ? createdAtMillis : read));
    }

    /** The store's push of changes, if it has one and it started; closed with the verifier. */
    private AutoCloseable pushes;

    /** Subscribes to the store's pushed changes, if it can push; never throws. */
    synchronized void subscribe() {
        try {
            if (store instanceof ChangePush push) {
                pushes = push.subscribeToChanges(cache::invalidate).orElse(null);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not subscribe to the store's pushed changes; polling only: {}", e.toString());
        }
    }

    /** Stops the pushes; never throws. */
    synchronized void close() {
        if (pushes != null) {
            try {
                pushes.close();
            } catch (Exception e) {
                LOG.debug("closing the store's pushed changes failed: {}", e.toString());
            }
            pushes = null;
        }
    }

    /**
     * Reads where the feed ends now, so that every change after this call is seen. Called when the verifier is
     * built; if the store fails then, the first poll tries again. Never throws.
     */
    synchronized void start() {
        try {
            if (feed == null) {
                LOG.debug("{} has no change feed; other instances' revocations are seen when entries go stale", store);
                return;
            }
            position = feed.changeFeedPosition();
            started = true;
            readAtMillis = clock.millis();
        } catch (RuntimeException e) {
            LOG.warn("could not read the change feed position; will retry: {}", e.toString());
        }
    }

    /** One poll: forget every key that changed since the last one. Never throws. */
    synchronized void poll() {
        if (!supported) {
            return;
        }
        if (!started) {
            start();
            return;
        }
        try {
            KeyChanges changes = feed.changesSince(position);
            for (String keyId : changes.keyIds()) {
                cache.invalidate(keyId);
            }
            // A tenant's record changed (suspended, its plan): its keys load again with the record as it is now.
            for (String tenantId : changes.tenantIds()) {
                cache.invalidateTenant(tenantId);
            }
            position = changes.position();
            readAtMillis = clock.millis();
            if (failing) {
                LOG.info("change feed readable again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("could not read the change feed; cached keys are bounded by their staleness meanwhile: {}",
                        e.toString());
                failing = true;
            }
        }
    }
}
