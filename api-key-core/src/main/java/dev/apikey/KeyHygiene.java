package dev.apikey;

import dev.apikey.internal.Instants;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyEvent;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.KeyNotice;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.NoticeLog;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled hygiene check, off the request path: warns when a key's expiry or rotate-by date comes within a
 * horizon, and applies the {@link UnusedKeyPolicy}. Each warning is sent once per key, date and horizon across
 * every instance: the store records it ({@link NoticeLog#recordNotice}) and only the instance whose record won
 * sends it; a store without a {@link NoticeLog} sends no warnings (the check says so once). Keys are read page by
 * page ({@link KeyStore#findPage}).
 *
 * <p>Thread-safe; runs are not expected to overlap (one scheduler thread), and if they do, the store's record
 * keeps each warning single.
 */
final class KeyHygiene {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.hygiene");

    private final KeyStore store;
    /** The store's notice log, or {@code null}: then the check is off. */
    private final NoticeLog notices;
    private final KeyLifecycle lifecycle;
    private final KeyHistoryWriter history;
    private final KeyViews views;
    private final KeyEventListener listener;
    private final java.time.Clock clock;
    /** Ascending. */
    private final List<Duration> horizons;
    private final UnusedKeyPolicy unused;
    private volatile boolean unsupportedLogged;

    KeyHygiene(ApiKeysConfig config, KeyLifecycle lifecycle, KeyViews views) {
        this.store = config.store();
        this.notices = store instanceof NoticeLog log ? log : null;
        this.lifecycle = lifecycle;
        this.history = new KeyHistoryWriter(store);
        this.views = views;
        this.listener = config.listener();
        this.clock = config.clock();
        this.horizons = config.expiryWarnings();
        this.unused = config.unusedKeyPolicy();
    }

    /** Whether there is anything to check. */
    boolean hasWork() {
        return !horizons.isEmpty() || unused != null;
    }

    /** The scheduled form: never throws, logs what failed. */
    void runScheduled() {
        try {
            run();
        } catch (UnsupportedOperationException e) {
            if (!unsupportedLogged) {
                unsupportedLogged = true;
                LOG.warn("key hygiene is off: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("key hygiene check failed; trying again at the next one: {}", e.toString());
        }
    }

    HygieneReport run() {
        if (notices == null) {
            throw new UnsupportedOperationException(store + " keeps no NoticeLog, so warnings would be sent again on "
                    + "every check");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<KeyNotice> warned = new ArrayList<>();
        List<ApiKeyInfo> disabled = new ArrayList<>();
        if (!horizons.isEmpty()) {
            // Neither revoked nor expired now, and an expiry or rotate-by date within the farthest horizon.
            Instant before = Instants.plusClamped(now, horizons.get(horizons.size() - 1));
            KeyQueries.each(store, new KeyFilter(null, null, null, null, null, null, false, before, null, now),
                    key -> warnOfDates(key, now, warned));
        }
        if (unused != null) {
            Instant since = now.minus(unused.shortestIdle()).plus(UnusedKeyPolicy.WARNING_AHEAD);
            List<StoredKey> idle = new ArrayList<>();
            KeyQueries.each(store, new KeyFilter(null, null, null, null, null, since, false, null, null, now), key -> {
                if (key.revokedAt() == null && key.disabledAt() == null
                        && (key.expiresAt() == null || key.expiresAt().isAfter(now))
                        && key.createdAt().isBefore(since)) {
                    idle.add(key);
                }
            });
            // Disabling writes keys: done after the read, not while paging through them.
            idle.forEach(key -> applyUnused(key, now, warned, disabled));
        }
        return new HygieneReport(now, warned, disabled, unused != null && unused.isDryRun());
    }

    private void warnOfDates(StoredKey key, Instant now, List<KeyNotice> warned) {
        ApiKeyInfo.Status status = KeyViews.status(key, now);
        // A replaced key's expiry is its rotation's planned end, and a disabled key is not in use: no warning.
        if (status != ApiKeyInfo.Status.ACTIVE) {
            return;
        }
        if (key.expiresAt() != null) {
            warnOf(KeyNotice.Kind.EXPIRES, key, key.expiresAt(), now, warned);
        }
        key.attributes().rotateBy().ifPresent(by -> warnOf(KeyNotice.Kind.ROTATE_BY, key, by, now, warned));
    }

    /** Sends the warning of the nearest horizon reached, once; a key that skipped a horizon gets one warning. */
    private void warnOf(KeyNotice.Kind kind, StoredKey key, Instant due, Instant now, List<KeyNotice> warned) {
        Duration reached = null;
        for (Duration h : horizons) {
            if (!now.isBefore(due.minus(h))) {
                reached = h;
                break;
            }
        }
        if (reached == null) {
            return;
        }
        KeyNotice notice = new KeyNotice(kind, views.info(key), due, reached);
        // The store's identity of the notice: a changed date (an edited expiry) makes a new one.
        String id = kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + due + ":" + reached;
        if (notices.recordNotice(key.keyId(), id, now).isEmpty()) {
            send(key, notice, now);
            warned.add(notice);
        }
    }

    private void applyUnused(StoredKey key, Instant now, List<KeyNotice> warned, List<ApiKeyInfo> disabled) {
        Duration idle = unused.idleTimeFor(key.tenantId(), key.attributes().environment().orElse(null)).orElse(null);
        if (idle == null) {
            return;
        }
        ApiKeyInfo info = views.info(key);
        // Uses this instance has not written yet count too.
        Instant idleSince = info.lastUsedAt().filter(at -> at.isAfter(key.createdAt())).orElse(key.createdAt());
        Instant disableAt = Instants.plusClamped(idleSince, idle);
        Instant warnAt = disableAt.minus(UnusedKeyPolicy.WARNING_AHEAD);
        if (now.isBefore(warnAt)) {
            return;
        }
        if (unused.isDryRun()) {
            warned.add(new KeyNotice(KeyNotice.Kind.UNUSED, info, disableAt, UnusedKeyPolicy.WARNING_AHEAD));
            if (!now.isBefore(disableAt)) {
                LOG.info("dry run: would disable key {}, unused since {} (idle time {})", info.hint(), idleSince, idle);
                disabled.add(info);
            } else {
                LOG.info("dry run: would warn that key {} is disabled at {}, unused since {}", info.hint(), disableAt,
                        idleSince);
            }
            return;
        }
        // The warning comes first, 7 days ahead; a key found idle for longer (a new policy) gets its 7 days now.
        String id = "unused:" + idleSince + ":" + idle;
        Instant earlier = notices.recordNotice(key.keyId(), id, now).orElse(null);
        Instant warnedAt = earlier == null ? now : earlier;
        if (earlier == null) {
            Instant due = max(disableAt, now.plus(UnusedKeyPolicy.WARNING_AHEAD));
            KeyNotice notice = new KeyNotice(KeyNotice.Kind.UNUSED, info, due, UnusedKeyPolicy.WARNING_AHEAD);
            send(key, notice, now);
            warned.add(notice);
        }
        if (!now.isBefore(disableAt) && !now.isBefore(warnedAt.plus(UnusedKeyPolicy.WARNING_AHEAD))
                // Once per idle stretch: a key an admin enabled again stays enabled until it is used and idles anew.
                && notices.recordNotice(key.keyId(), "disabled-" + id, now).isEmpty()) {
            try {
                ApiKeyInfo after = lifecycle.disable(key.keyId(), "unused", KeyLifecycle.SYSTEM);
                if (after.status() == ApiKeyInfo.Status.DISABLED) {
                    disabled.add(info);
                }
            } catch (KeyNotActiveException | KeyNotFoundException e) {
                LOG.debug("key {} changed while the unused-key policy looked at it: {}", info.hint(), e.getMessage());
            }
        }
    }

    /** Sends a warning, then records it in the key's history: a history that fails keeps the warning sent. */
    private void send(StoredKey key, KeyNotice notice, Instant now) {
        try {
            listener.warned(notice);
        } catch (RuntimeException e) {
            LOG.warn("key event listener failed on a warning: {}", e.toString());
        }
        try {
            history.append(List.of(KeyHistoryWriter.event(key, KeyEvent.Type.WARNED, KeyEvent.SYSTEM, now, Map.of(
                    "notice", notice.kind().name().toLowerCase(java.util.Locale.ROOT), "due", notice.due().toString(),
                    "horizon", notice.horizon().toString()))));
        } catch (RuntimeException e) {
            LOG.warn("could not record the warning of key {} in its history: {}", notice.key().hint(), e.toString());
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
