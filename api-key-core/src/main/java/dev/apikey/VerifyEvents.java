package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.internal.LogWindow;
import dev.apikey.internal.ParsedKey;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.Verification;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.VerifyObserver;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a verify tells others: the counters ({@link VerifyStats}), the debug log, the {@link KeyEventListener} (whose
 * failures are logged, never thrown), the {@link VerifyObserver} and the store-failure warning (at most one line a
 * minute). Keys appear by their
 * hint only, never with the secret.
 *
 * <p>Thread-safe. Package-private.
 */
final class VerifyEvents {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.verify");

    private final String prefix;
    private final KeyEventListener listener;
    private final Clock clock;
    private final VerifyStats stats;
    /** Store load failures: at most one line a minute, however many keys and requests meet them. */
    private final LogWindow storeLog = new LogWindow(60_000);

    VerifyEvents(ApiKeysConfig config, VerifyStats stats) {
        this.prefix = config.prefix();
        this.listener = config.listener();
        this.clock = config.clock();
        this.stats = stats;
    }

    /** A refusal: counted, logged at debug, sent to the listener if it wants refusals; {@return the refusal} */
    Verification refused(Verification v, ParsedKey key, String remoteAddress) {
        Failure failure = MODEL.failureOrNull(v);
        stats.refused(failure);
        boolean debug = LOG.isDebugEnabled();
        boolean event = listener.wantsRefusals();
        if (debug || event) {
            String hint = key == null ? null : KeyLayout.hint(prefix, key.tenantId(), key.keyId());
            if (debug) {
                LOG.debug("refused {} key={}", failure.code(), hint);
            }
            if (event) {
                try {
                    listener.refused(failure, hint, remoteAddress, clock.millis());
                } catch (RuntimeException e) {
                    LOG.warn("key event listener failed on a refusal: {}", e.toString());
                }
            }
        }
        return v;
    }

    /** A grant: counted, and sent to the listener if it wants grants. */
    void granted(CachedKey entry, String remoteAddress, long now) {
        stats.granted();
        if (listener.wantsGrants()) {
            try {
                listener.verified(MODEL.principalOrNull(entry.granted), remoteAddress, now);
            } catch (RuntimeException e) {
                LOG.warn("key event listener failed on a grant: {}", e.toString());
            }
        }
    }

    /** A throttle of a key id for an address started, until {@code until} (epoch millis). */
    void throttled(ParsedKey key, String remoteAddress, long until) {
        String hint = KeyLayout.hint(prefix, key.tenantId(), key.keyId());
        try {
            listener.throttled(hint, remoteAddress, until);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed on a throttle: {}", e.toString());
        }
    }

    /** A verify's outcome and time, to the host's observer: whether it read the store, the cache, or neither. */
    void observed(VerifyObserver observer, Verification v, boolean readStore, long nanos) {
        VerifyObserver.Lookup lookup = readStore ? VerifyObserver.Lookup.MISS
                : v.failedCheck().map(c -> c.compareTo(Check.KEY_EXISTS) < 0).orElse(false)
                        ? VerifyObserver.Lookup.NONE : VerifyObserver.Lookup.HIT;
        observer.observe(v, lookup, nanos);
    }

    /** A store load threw: logged at most once a minute with the count so far. */
    void loadFailed(ParsedKey key, RuntimeException e, long loadFailures, long now) {
        if (storeLog.tryLog(now)) {
            LOG.warn("key store failed loading key {} ({} load failures so far; at most one line a minute): {}",
                    key.keyId(), loadFailures, e.toString());
        }
    }

    /** A store's look-up of a legacy key by digest threw: logged as {@link #loadFailed} is, naming the format. */
    void legacyLoadFailed(String format, RuntimeException e, long now) {
        if (storeLog.tryLog(now)) {
            LOG.warn("key store failed finding a legacy key of format {} (at most one line a minute): {}", format,
                    e.toString());
        }
    }
}
