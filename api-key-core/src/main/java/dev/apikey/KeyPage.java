package dev.apikey;

import dev.apikey.model.ApiKeyInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a key list ({@link ApiKeys#listPage}): keys in the query's order (key id unless
 * {@link KeyQuery#sortedBy}), and the cursor of the next page if there
 * may be more. A page can hold fewer keys than asked for and still have a next one (a key used since the store's
 * last-use time was written is left out of an unused-since page); follow {@code nextCursor} until it is empty.
 *
 * @param keys       the keys, in the query's order
 * @param nextCursor what to pass as {@code afterKeyId} for the next page (in key id order the last key id; in
 *                   another order an opaque text valid only for that order), or empty on the last page
 */
public record KeyPage(List<ApiKeyInfo> keys, Optional<String> nextCursor) {

    /**
     * Copies the list.
     *
     * @param keys       the keys, in the query's order
     * @param nextCursor the next page's cursor, or empty
     * @throws NullPointerException if either is null
     */
    public KeyPage {
        keys = List.copyOf(keys);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
