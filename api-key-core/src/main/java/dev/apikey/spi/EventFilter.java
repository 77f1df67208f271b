package dev.apikey.spi;

import dev.apikey.model.KeyEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Which events a {@link KeyHistory#findEvents} returns: of one key or of any, of some tenants or of all, from a
 * time (inclusive) to a time (exclusive), and, to page on, only those after a page's last event in the
 * newest-first order.
 *
 * @param keyId     the key, or {@code null} for any key
 * @param tenantIds the tenants, or {@code null} for every tenant and tenant-less keys
 * @param from      the earliest time, inclusive, or {@code null}
 * @param to        the latest time, exclusive, or {@code null}
 * @param beforeAt  the time of the last event of the page before, or {@code null} for the first page
 * @param beforeId  the id of the last event of the page before, or {@code null} for the first page
 */
public record EventFilter(String keyId, Set<String> tenantIds, Instant from, Instant to, Instant beforeAt,
        String beforeId) {

    /**
     * Copies the tenants.
     *
     * @param keyId     the key, or {@code null} for any key
     * @param tenantIds the tenants, or {@code null} for every tenant and tenant-less keys
     * @param from      the earliest time, inclusive, or {@code null}
     * @param to        the latest time, exclusive, or {@code null}
     * @param beforeAt  the time of the last event of the page before, or {@code null}
     * @param beforeId  the id of the last event of the page before, or {@code null}
     * @throws IllegalArgumentException if only one of beforeAt and beforeId is given, or from is not before to
     */
    public EventFilter {
        tenantIds = tenantIds == null ? null : Set.copyOf(tenantIds);
        if ((beforeAt == null) != (beforeId == null)) {
            throw new IllegalArgumentException("beforeAt and beforeId go together");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** {@return every event} */
    public static EventFilter all() {
        return new EventFilter(null, null, null, null, null, null);
    }

    /**
     * {@return the events of one key}
     *
     * @param keyId the key id
     */
    public static EventFilter key(String keyId) {
        return new EventFilter(Objects.requireNonNull(keyId, "keyId"), null, null, null, null, null);
    }

    /**
     * {@return the events of these tenants' keys}
     *
     * @param tenantIds the tenants
     */
    public static EventFilter tenants(Set<String> tenantIds) {
        return new EventFilter(null, Objects.requireNonNull(tenantIds, "tenantIds"), null, null, null, null);
    }

    /**
     * {@return this filter, limited to a time range}
     *
     * @param from the earliest time, inclusive, or {@code null}
     * @param to   the latest time, exclusive, or {@code null}
     */
    public EventFilter between(Instant from, Instant to) {
        return new EventFilter(keyId, tenantIds, from, to, beforeAt, beforeId);
    }

    /**
     * {@return this filter, paging on after an event}
     *
     * @param last the last event of the page before
     */
    public EventFilter after(KeyEvent last) {
        return new EventFilter(keyId, tenantIds, from, to, last.at(), last.eventId());
    }

    /**
     * {@return whether an event passes this filter} (what a store's query must agree with)
     *
     * @param e the event
     */
    public boolean matches(KeyEvent e) {
        return (keyId == null || keyId.equals(e.keyId()))
                && (tenantIds == null || (e.tenantId() != null && tenantIds.contains(e.tenantId())))
                && (from == null || !e.at().isBefore(from))
                && (to == null || e.at().isBefore(to))
                && (beforeAt == null || e.at().isBefore(beforeAt)
                        || (e.at().equals(beforeAt) && e.eventId().compareTo(beforeId) < 0));
    }

    /** The order of a history: newest first, then by event id, descending. */
    public static final java.util.Comparator<KeyEvent> NEWEST_FIRST = java.util.Comparator
            .comparing(KeyEvent::at).thenComparing(KeyEvent::eventId).reversed();
}
