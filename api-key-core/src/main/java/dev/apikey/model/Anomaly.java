package dev.apikey.model;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Something unusual in a key's or a tenant's verify counts, found by the scheduled anomaly detection against a
 * rolling baseline read from the stored counts of every instance: a burst of refusals, volume well over usual, a new
 * source network or country, a quota nearly or wholly spent, an old key still used after its rotation. Opened once per kind,
 * subject and window across every instance sharing the store, and heard through
 * {@link dev.apikey.spi.KeyEventListener#anomaly}. Carries counts and ids only, never a secret or an address.
 *
 * <p>Immutable.
 *
 * @param id          the anomaly's id: {@code kind.subject-kind.subject-id.window-start-epoch-seconds}, the same on
 *                    every instance, e.g. {@code refusal_burst.key.AbCd1234EfGh5678.1796284800}; a new country's
 *                    ends in {@code .} and the country ({@code new_country.key.AbCd1234.1796284800.FR}): once per
 *                    window, key and country
 * @param kind        what is unusual
 * @param subject     a key or a tenant (never the unknown series: refusals naming no known key fire nothing)
 * @param tenantId    the key's tenant or the tenant itself, or {@code null} for a key without one
 * @param windowStart the start of the window it was seen in
 * @param windowEnd   the window's end, exclusive
 * @param observed    what was seen in the window: refusals, calls, new networks, calls of the quota's period, calls
 *                    of the old key since its rotation, hours the new country was seen in
 * @param baseline    what was usual for a window of that length (refusals, calls, known networks, known countries),
 *                    or the quota's limit; 0 where nothing was usual
 * @param detail      more, without secrets: the quota's name, the replacing key's id, the new country's ISO code;
 *                    {@code null} if nothing
 * @param openedAt    when it was opened
 * @param closedAt    when it was closed (its window ended), or {@code null} while open
 */
public record Anomaly(String id, Kind kind, UsageSubject subject, String tenantId, Instant windowStart,
        Instant windowEnd, long observed, long baseline, String detail, Instant openedAt, Instant closedAt) {

    /** What an anomaly is about. */
    public enum Kind {
        /** 401/403 refusals of known keys well over their usual rate. */
        REFUSAL_BURST,
        /** Verifies well over their usual volume. */
        VOLUME_SPIKE,
        /** A key used from a source network (IPv4 /24, IPv6 /48) not seen in its baseline. */
        NEW_NETWORK,
        /** A quota's period has used its warning share (80 % by default) of the calls allowed. */
        QUOTA_WARNING,
        /** A quota's period has used all of the calls allowed. */
        QUOTA_EXHAUSTED,
        /** A key replaced by a rotation is still used during the overlap: not every client has the new key yet. */
        OLD_KEY_USED,
        /**
         * A key used from a country (the request's country source: a trusted proxy's header, a GeoIP database) not
         * seen in its baseline; {@link Anomaly#detail()} is the country's ISO 3166-1 alpha-2 code.
         */
        NEW_COUNTRY;

        /** {@return the lower-case name, as in ids and JSON, e.g. {@code refusal_burst}} */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Reads a kind by its {@linkplain #label() label}.
         *
         * @param text the label
         * @return the kind
         * @throws IllegalArgumentException naming the kinds if the text is none of them
         */
        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.label().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("kind must be one of " + java.util.Arrays.stream(values())
                    .map(Kind::label).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the subject is the unknown series, the window is empty, a count is
     *                                  negative or the id is not the one of {@link #idOf}
     *
     * @param id see the record
     * @param kind see the record
     * @param subject see the record
     * @param tenantId see the record
     * @param windowStart see the record
     * @param windowEnd see the record
     * @param observed see the record
     * @param baseline see the record
     * @param detail see the record
     * @param openedAt see the record
     * @param closedAt see the record
     */
    public Anomaly {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(openedAt, "openedAt");
        if (subject.kind() == UsageSubject.Kind.UNKNOWN) {
            throw new IllegalArgumentException("subject must be a key or a tenant");
        }
        if (subject.kind() == UsageSubject.Kind.TENANT && !subject.id().equals(tenantId)) {
            throw new IllegalArgumentException("tenantId must be the tenant's id");
        }
        if (!windowStart.isBefore(windowEnd)) {
            throw new IllegalArgumentException("windowStart must be before windowEnd");
        }
        if (observed < 0 || baseline < 0) {
            throw new IllegalArgumentException("observed and baseline must not be negative");
        }
        if (detail != null && (detail.length() > 200 || !detail.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("detail must be at most 200 printable ASCII characters");
        }
        if (kind == Kind.NEW_COUNTRY && (detail == null || !detail.matches("[A-Z]{2}"))) {
            throw new IllegalArgumentException("detail of a new_country anomaly must be its country, two upper-case "
                    + "letters");
        }
        if (!idOf(kind, subject, windowStart, detail).equals(id)) {
            throw new IllegalArgumentException("id must be " + idOf(kind, subject, windowStart, detail));
        }
    }

    /**
     * An open anomaly, its id made from its kind, subject and window.
     *
     * @param kind        what is unusual
     * @param subject     a key or a tenant
     * @param tenantId    the tenant, or {@code null} for a key without one
     * @param windowStart the window's start
     * @param windowEnd   the window's end
     * @param observed    what was seen
     * @param baseline    what was usual
     * @param detail      more, or {@code null}
     * @param openedAt    now
     * @return the anomaly, open
     */
    public static Anomaly open(Kind kind, UsageSubject subject, String tenantId, Instant windowStart,
            Instant windowEnd, long observed, long baseline, String detail, Instant openedAt) {
        return new Anomaly(idOf(kind, subject, windowStart, detail), kind, subject, tenantId, windowStart, windowEnd,
                observed, baseline, detail, openedAt, null);
    }

    /**
     * The id of an anomaly: the same on every instance, so that the store keeps each once.
     *
     * @param kind        what is unusual
     * @param subject     a key or a tenant
     * @param windowStart the window's start
     * @return {@code kind.subject-kind.subject-id.window-start-epoch-seconds}
     */
    public static String idOf(Kind kind, UsageSubject subject, Instant windowStart) {
        return kind.label() + "." + subject.kind().name().toLowerCase(Locale.ROOT) + "." + subject.id() + "."
                + windowStart.getEpochSecond();
    }

    /**
     * The id of an anomaly with its detail: a new country's names its country and a quota's its quota, so that each is
     * opened once per window (two quotas of a key may share a period's start); every other kind's is
     * {@link #idOf(Kind, UsageSubject, Instant)}.
     *
     * @param kind        what is unusual
     * @param subject     a key or a tenant
     * @param windowStart the window's start
     * @param detail      the anomaly's detail, or {@code null}
     * @return the id
     */
    public static String idOf(Kind kind, UsageSubject subject, Instant windowStart, String detail) {
        String id = idOf(kind, subject, windowStart);
        return kind == Kind.NEW_COUNTRY || kind == Kind.QUOTA_WARNING || kind == Kind.QUOTA_EXHAUSTED
                ? id + "." + detail : id;
    }

    /** {@return the key's id, or empty for a tenant's anomaly} */
    public Optional<String> keyId() {
        return subject.kind() == UsageSubject.Kind.KEY ? Optional.of(subject.id()) : Optional.empty();
    }

    /** {@return whether it is still open} */
    public boolean isOpen() {
        return closedAt == null;
    }

    /**
     * This anomaly, closed.
     *
     * @param at when
     * @return a copy with {@code closedAt}
     */
    public Anomaly closed(Instant at) {
        return new Anomaly(id, kind, subject, tenantId, windowStart, windowEnd, observed, baseline, detail, openedAt,
                Objects.requireNonNull(at, "at"));
    }
}
