package dev.apikey.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry of a key's history: what happened to the key ({@link Type}), who did it, when, and what changed. Written
 * by the core in the same atomic write as the change itself (a store's {@code KeyHistory}), read through
 * {@code ApiKeys.history()}. It never holds a secret, a hash or a plaintext: an edit records the attributes that
 * changed with their values before and after (a key's attributes are no secret; metadata values are left out, as a
 * host may keep personal data there), a rotation the new key's id, a hash upgrade the new algorithm's name.
 *
 * @param eventId   the event's id: 32 lower-case hex digits, random
 * @param keyId     the key it happened to
 * @param lineageId the key's rotation lineage: the id of the first key of its rotations (its own for a first key)
 * @param tenantId  the key's tenant, or {@code null} for a tenant-less key
 * @param type      what happened
 * @param actor     who did it: the {@link Actor#name()}, or {@value #SYSTEM} for the instance's own work
 * @param at        when, in milliseconds
 * @param changes   for {@link Type#EDITED}: each attribute that changed, in {@link KeySpec.Attribute} order
 * @param details   what else the event says, by name, sorted: {@code reason}, {@code new_key_id}, {@code replaces},
 *                  {@code source}, {@code revoked}, {@code algorithm}, {@code notice}, {@code due}, ...
 */
public record KeyEvent(String eventId, String keyId, String lineageId, String tenantId, Type type, String actor,
        Instant at, List<Change> changes, Map<String, String> details) {

    /** The actor of the instance's own work: a hash upgrade, a hygiene warning or disable, a leak report. */
    public static final String SYSTEM = "system";
    /** Longest text of a detail or of a change's value; a longer one is cut, ending in {@code ...}. */
    public static final int MAX_TEXT = 1000;
    /** Most details of one event. */
    public static final int MAX_DETAILS = 16;

    /** What happened to a key. */
    public enum Type {
        /** The key was created (details: {@code replaces} for a rotation's new key). */
        CREATED,
        /** Attributes changed ({@link KeyEvent#changes()}). */
        EDITED,
        /** The key was replaced by a new one (details: {@code new_key_id}, {@code overlap_ends}). */
        ROTATED,
        /** The key was disabled (details: {@code reason}: {@code manual}, {@code unused}). */
        DISABLED,
        /** The key was enabled again. */
        ENABLED,
        /** The key was revoked (details: {@code reason} when not by hand: {@code leaked}, {@code key_limit}). */
        REVOKED,
        /** A leak of the key was reported (details: {@code source}, {@code revoked}). */
        LEAK_REPORTED,
        /** Its stored hash was upgraded to the current policy (details: {@code algorithm}). */
        REHASHED,
        /** A warning was sent (details: {@code notice}, {@code due}, {@code horizon}). */
        WARNED;

        /** {@return the type as JSON and the CLI name it, e.g. {@code leak_reported}} */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One attribute an edit changed.
     *
     * @param attribute the attribute, as JSON names it ({@code expires_at})
     * @param before    its value before as text, or {@code null} when it had none or is not recorded (metadata)
     * @param after     its value after as text, or {@code null} when it has none or is not recorded (metadata)
     */
    public record Change(String attribute, String before, String after) {

        /**
         * Checks the name; cuts long values.
         *
         * @param attribute the attribute's JSON name
         * @param before    its value before, or {@code null}
         * @param after     its value after, or {@code null}
         * @throws IllegalArgumentException if attribute is not 1 to 40 of {@code [a-z_]}
         */
        public Change {
            Objects.requireNonNull(attribute, "attribute");
            if (!attribute.matches("[a-z_]{1,40}")) {
                throw new IllegalArgumentException("attribute must be 1 to 40 of [a-z_], was " + attribute);
            }
            before = cut(before);
            after = cut(after);
        }
    }

    /**
     * Checks every field; copies the collections, sorts the details and cuts their long values.
     *
     * @param eventId   the event's id
     * @param keyId     the key
     * @param lineageId the key's lineage
     * @param tenantId  the key's tenant, or {@code null}
     * @param type      what happened
     * @param actor     who did it
     * @param at        when
     * @param changes   what an edit changed
     * @param details   what else it says
     * @throws NullPointerException     if eventId, keyId, type, actor, at, changes or details is null
     * @throws IllegalArgumentException if the event id is not 32 lower-case hex digits, the actor is not 1 to 200
     *                                  characters without control characters, there are more than {@value #MAX_DETAILS}
     *                                  details or a detail's name is not 1 to 40 of {@code [a-z_]}
     */
    public KeyEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        if (!eventId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("eventId must be 32 lower-case hex digits");
        }
        if (actor.isEmpty() || actor.length() > 200 || actor.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("actor must be 1 to 200 characters without control characters");
        }
        at = at.truncatedTo(ChronoUnit.MILLIS);
        changes = List.copyOf(changes);
        if (details.size() > MAX_DETAILS) {
            throw new IllegalArgumentException("details must hold at most " + MAX_DETAILS + " entries");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        details.forEach((name, value) -> {
            if (!name.matches("[a-z_]{1,40}")) {
                throw new IllegalArgumentException("a detail's name must be 1 to 40 of [a-z_], was " + name);
            }
            sorted.put(name, cut(Objects.requireNonNull(value, "details' value")));
        });
        details = java.util.Collections.unmodifiableSortedMap(sorted);
    }

    /** Control characters become spaces (they have no place in a log or a table), and long text is cut. */
    private static String cut(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.chars().anyMatch(Character::isISOControl)
                ? text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                : text;
        return clean.length() <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT - 3) + "...";
    }

    /**
     * {@return the attributes that differ between two specs of a key, with their values as text} Metadata is named
     * without its values; a collection is its elements joined by {@code ", "}; an instant its ISO-8601 text.
     *
     * @param before the attributes before
     * @param after  the attributes after
     */
    public static List<Change> changes(KeySpec before, KeySpec after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        List<Change> out = new java.util.ArrayList<>();
        for (KeySpec.Attribute a : KeySpec.Attribute.values()) {
            Object was = before.value(a);
            Object is = after.value(a);
            if (!Objects.equals(was, is)) {
                boolean recorded = a != KeySpec.Attribute.METADATA;
                out.add(new Change(a.name().toLowerCase(java.util.Locale.ROOT), recorded ? text(was) : null,
                        recorded ? text(is) : null));
            }
        }
        return out;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.isEmpty() ? null : String.join(", ", c.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }

    /** {@return the event without its details and changes' values: what a log line may show} */
    @Override
    public String toString() {
        return "KeyEvent[" + type.jsonName() + " key=" + keyId + " tenant=" + tenantId + " actor=" + actor + " at="
                + at + " changed=" + changes.stream().map(Change::attribute).toList() + "]";
    }
}
