package dev.apikey.spi;

import dev.apikey.model.KeyEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An optional capability of a {@link KeyStore}: it keeps a history of every key, each change's {@link KeyEvent}
 * written in the same transaction as the change ({@link #write(List, List)}), so that a change is never stored
 * without its event nor an event without its change. The core finds it with {@code instanceof}; with a store
 * without it, keys work as before and {@code ApiKeys.history()} says there is no history.
 *
 * <p>Implementations must be thread-safe, and may throw {@link KeyStoreException} from every method.
 */
public interface KeyHistory {

    /** Most events one {@link #findEvents} returns. */
    int MAX_PAGE = 1000;

    /**
     * Writes the records as {@link KeyStore#write} does and the events with them, in one transaction: all or
     * nothing.
     *
     * @param writes the records, as {@link KeyStore#write} takes them
     * @param events the events of the change, each id new
     * @throws DuplicateKeyException     if an insert's id exists; nothing is written then
     * @throws VersionConflictException  if a replace's key is gone or at another version; nothing is written then
     * @throws KeyStoreException         if the store fails, an event's insert included; nothing is written then
     * @throws IllegalArgumentException  as {@link KeyStore#write}
     */
    void write(List<KeyWrite> writes, List<KeyEvent> events);

    /**
     * Adds events of something that changed no key (a warning sent, a leak reported of a key revoked already), in
     * one transaction.
     *
     * @param events the events, each id new
     * @throws KeyStoreException if the store fails; none is written then
     */
    void append(List<KeyEvent> events);

    /**
     * {@return the events {@code filter} selects, newest first (by time, then by event id, descending), at most
     * {@code limit}}
     *
     * @param filter which events
     * @param limit  1 to {@value #MAX_PAGE}
     * @throws IllegalArgumentException if limit is out of that range
     */
    List<KeyEvent> findEvents(EventFilter filter, int limit);

    /**
     * Deletes at most {@code max} events older than {@code cutoff}, oldest first.
     *
     * @param cutoff the time before which events go
     * @param max    the most to delete in this call, at least 1
     * @return how many were deleted
     */
    int purgeBefore(Instant cutoff, int max);

    /**
     * Checks the arguments of {@link #findEvents} for implementations.
     *
     * @param filter the filter
     * @param limit  the limit
     * @throws IllegalArgumentException if limit is not 1 to {@value #MAX_PAGE}
     */
    static void requirePage(EventFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
    }

    /**
     * Checks the events of a write for implementations: a copy, each id once.
     *
     * @param events the events
     * @return the copy
     * @throws IllegalArgumentException if an id repeats
     */
    static List<KeyEvent> requireEvents(List<KeyEvent> events) {
        List<KeyEvent> copy = List.copyOf(events);
        if (copy.stream().map(KeyEvent::eventId).distinct().count() != copy.size()) {
            throw new IllegalArgumentException("events must name each event id once");
        }
        return copy;
    }
}
