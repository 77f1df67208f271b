package dev.apikey;

import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyLayout;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The cursor of a {@link KeyPage}: where the next page starts. In key id order it is the last key id, as it always
 * was; in another order it is the keyset, {@code <sort><direction><key id>} and, if that key has the sort value,
 * {@code ~<value>} (a name, or an instant in ISO-8601), so that the next page is one query after that row.
 * Read back, it is checked against the query's order: a cursor of another order is refused, not misread.
 *
 * <p>Package-private: {@link ApiKeys#listPage} takes and returns it as text.
 */
final class KeyCursor {

    private static final int MAX_NAME = 100;

    private KeyCursor() {
    }

    /** The cursor after {@code last} in the order of {@code filter}. */
    static String write(KeyFilter filter, StoredKey last) {
        if (filter.sort() == KeyFilter.Sort.KEY_ID && !filter.descending()) {
            return last.keyId();
        }
        Object value = filter.sortValue(last);
        return prefix(filter) + last.keyId() + (value == null ? "" : "~" + value);
    }

    /**
     * The filter for the page after {@code cursor}.
     *
     * @throws IllegalArgumentException naming afterKeyId if the cursor is malformed or of another order
     */
    static KeyFilter read(KeyFilter first, String cursor) {
        if (first.sort() == KeyFilter.Sort.KEY_ID && !first.descending()) {
            String problem = KeyLayout.keyIdProblem(cursor);
            if (problem != null) {
                throw new IllegalArgumentException("afterKeyId " + problem);
            }
            return first.after(cursor);
        }
        String prefix = prefix(first);
        if (!cursor.startsWith(prefix) || cursor.length() < prefix.length() + 8) {
            throw refused();
        }
        String keyId = cursor.substring(prefix.length(), prefix.length() + 8);
        if (KeyLayout.keyIdProblem(keyId) != null) {
            throw refused();
        }
        String rest = cursor.substring(prefix.length() + 8);
        Object value = null;
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != '~' || first.sort() == KeyFilter.Sort.KEY_ID) {
                throw refused();
            }
            value = value(first.sort(), rest.substring(1));
        }
        return new KeyFilter(first.tenantIds(), first.status(), first.environment(), first.owner(),
                first.nameContains(), first.unusedSince(), first.rotateByPassed(), first.expiringBefore(), keyId,
                first.now(), first.sort(), first.descending(), value);
    }

    private static Object value(KeyFilter.Sort sort, String text) {
        if (sort == KeyFilter.Sort.NAME) {
            if (text.isEmpty() || text.length() > MAX_NAME) {
                throw refused();
            }
            return text;
        }
        try {
            Instant at = Instant.parse(text);
            // Range-checked before a database compares it: its timestamps end long before Instant's.
            if (at.isBefore(Instants.EARLIEST) || at.isAfter(Instants.LATEST)) {
                throw refused();
            }
            return at;
        } catch (DateTimeParseException e) {
            throw refused();
        }
    }

    private static String prefix(KeyFilter filter) {
        return switch (filter.sort()) {
            case KEY_ID -> "i";
            case NAME -> "n";
            case CREATED -> "c";
            case LAST_USED -> "u";
            case EXPIRES -> "e";
        } + (filter.descending() ? "d" : "a");
    }

    private static IllegalArgumentException refused() {
        return new IllegalArgumentException("afterKeyId must be the nextCursor of a page of the same query and order");
    }
}
