package dev.apikey;

import dev.apikey.model.KeyEvent;
import dev.apikey.spi.EventFilter;
import dev.apikey.spi.KeyHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key's history, from {@link ApiKeys#history()}: who created, edited, rotated, disabled, enabled and revoked a
 * key, reported it leaked, upgraded its hash or warned of it, and when; newest first. Kept by the store, written in
 * the same transaction as each change (a store's {@link KeyHistory}); with a store that keeps none,
 * {@link #isKept()} is {@code false} and every read throws {@link UnsupportedOperationException}. Events older than
 * the {@linkplain ApiKeysBuilder#historyRetention retention} are deleted once a day.
 *
 * <pre>{@code
 * for (KeyEvent e : apiKeys.history().ofKey(keyId)) {
 *     log.info("{} {} by {}", e.at(), e.type(), e.actor());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class KeyHistoryReader {

    /** The retention of {@link ApiKeysBuilder#historyRetention} unless set: 400 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);
    /** Most events one {@link #page} returns. */
    public static final int MAX_PAGE = 500;

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.history");
    /** Events deleted by one store call of the purge, and calls at most per purge. */
    static final int PURGE_BATCH = 10_000;
    static final int PURGE_BATCHES = 100;

    private final KeyHistory history;
    private final Duration retention;
    private final Clock clock;

    KeyHistoryReader(ApiKeysConfig config) {
        this.history = config.store() instanceof KeyHistory h ? h : null;
        this.retention = config.historyRetention();
        this.clock = config.clock();
    }

    /** One page of a history, newest first, and the cursor of the next page if there may be one. */
    public record Page(List<KeyEvent> events, Optional<String> nextCursor) {

        /**
         * Copies the events.
         *
         * @param events     the events
         * @param nextCursor the cursor of the next page
         */
        public Page {
            events = List.copyOf(events);
            Objects.requireNonNull(nextCursor, "nextCursor");
        }
    }

    /** {@return whether the store keeps a history} */
    public boolean isKept() {
        return history != null;
    }

    /** {@return how long events are kept} */
    public Duration retention() {
        return retention;
    }

    /**
     * {@return the latest events of one key, newest first, at most {@value #MAX_PAGE}}
     *
     * @param keyId the key id
     * @throws UnsupportedOperationException if the store keeps no history
     */
    public List<KeyEvent> ofKey(String keyId) {
        KeyQueries.requireKeyId(keyId);
        return page(EventFilter.key(keyId), null, MAX_PAGE).events();
    }

    /**
     * {@return the latest events of a tenant's keys in a time range, newest first, at most {@value #MAX_PAGE}}
     *
     * @param tenantId the tenant
     * @param from     the earliest time, inclusive, or {@code null}
     * @param to       the latest time, exclusive, or {@code null}
     * @throws UnsupportedOperationException if the store keeps no history
     * @throws IllegalArgumentException      if from is not before to
     */
    public List<KeyEvent> ofTenant(String tenantId, Instant from, Instant to) {
        Objects.requireNonNull(tenantId, "tenantId");
        return page(EventFilter.tenants(Set.of(tenantId)).between(from, to), null, MAX_PAGE).events();
    }

    /**
     * {@return the latest events of every key in a time range, newest first, at most {@value #MAX_PAGE}}
     *
     * @param from the earliest time, inclusive, or {@code null}
     * @param to   the latest time, exclusive, or {@code null}
     * @throws UnsupportedOperationException if the store keeps no history
     * @throws IllegalArgumentException      if from is not before to
     */
    public List<KeyEvent> between(Instant from, Instant to) {
        return page(EventFilter.all().between(from, to), null, MAX_PAGE).events();
    }

    /**
     * {@return one page of the events a filter selects, newest first}
     *
     * @param filter which events: by key, by tenants, by time ({@link EventFilter}); its own page position is
     *               replaced by the cursor's
     * @param cursor {@link Page#nextCursor()} of the page before, or {@code null} for the first page
     * @param limit  1 to {@value #MAX_PAGE}
     * @throws UnsupportedOperationException if the store keeps no history
     * @throws IllegalArgumentException      if limit is out of range, or the cursor is not one this class made
     */
    public Page page(EventFilter filter, String cursor, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        KeyHistory h = require();
        EventFilter from = new EventFilter(filter.keyId(), filter.tenantIds(), filter.from(), filter.to(), null, null);
        if (cursor != null) {
            from = from.after(position(cursor));
        }
        List<KeyEvent> read = new ArrayList<>(h.findEvents(from, limit + 1));
        // A store's query and the filter's rule agree; this keeps any event that does not out, whatever a store does.
        read.removeIf(e -> !sameSelection(filter, e));
        if (read.size() <= limit) {
            return new Page(read, Optional.empty());
        }
        List<KeyEvent> events = read.subList(0, limit);
        KeyEvent last = events.get(limit - 1);
        return new Page(events, Optional.of(last.at().toEpochMilli() + "." + last.eventId()));
    }

    /** Whether an event is of the key, tenants and time range a filter selects, whatever its page position. */
    private static boolean sameSelection(EventFilter filter, KeyEvent e) {
        return new EventFilter(filter.keyId(), filter.tenantIds(), filter.from(), filter.to(), null, null).matches(e);
    }

    /** The event a cursor names, as far as paging needs it: its time and id. */
    private static KeyEvent position(String cursor) {
        if (!cursor.matches("[0-9]{1,15}\\.[0-9a-f]{32}")) {
            throw new IllegalArgumentException("cursor must be the nextCursor of an earlier page");
        }
        int dot = cursor.indexOf('.');
        Instant at = Instant.ofEpochMilli(Long.parseLong(cursor.substring(0, dot)));
        return new KeyEvent(cursor.substring(dot + 1), "cursor", null, null, KeyEvent.Type.CREATED, KeyEvent.SYSTEM,
                at, List.of(), java.util.Map.of());
    }

    /**
     * Deletes the events older than the retention now, as the scheduler does once a day: in batches of
     * {@value #PURGE_BATCH}, at most {@value #PURGE_BATCHES} of them, the rest left to the next day's run.
     *
     * @return how many were deleted
     * @throws UnsupportedOperationException if the store keeps no history
     */
    public long purgeExpired() {
        KeyHistory h = require();
        Instant cutoff = clock.instant().minus(retention);
        long purged = 0;
        for (int batch = 0; batch < PURGE_BATCHES; batch++) {
            int n = h.purgeBefore(cutoff, PURGE_BATCH);
            purged += n;
            if (n < PURGE_BATCH) {
                break;
            }
        }
        if (purged > 0) {
            LOG.info("deleted {} key history events older than {} (retention {})", purged, cutoff, retention);
        }
        return purged;
    }

    /** The scheduled form: never throws, logs what failed. */
    void purgeScheduled() {
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("key history purge failed; trying again tomorrow: {}", e.toString());
        }
    }

    private KeyHistory require() {
        if (history == null) {
            throw new UnsupportedOperationException("the key store keeps no history (it does not implement "
                    + "KeyHistory)");
        }
        return history;
    }

    @Override
    public String toString() {
        return "KeyHistoryReader[" + (history == null ? "none" : "retention " + retention) + "]";
    }
}
