package dev.apikey.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ChangeFeed} returns: the ids of keys created, revoked or rotated after a
 * position, and the position to ask from next time.
 *
 * @param position the feed position after these changes; pass it to the next {@link ChangeFeed#changesSince}
 * @param keyIds   the ids of keys that changed, each once, in no particular order
 */
public record KeyChanges(long position, List<String> keyIds) {

    /**
     * Copies the ids.
     *
     * @param keyIds the ids of keys that changed, each once, in no particular order
     * @param position the feed position after these changes; pass it to the next {@link ChangeFeed#changesSince}
     * @throws NullPointerException if keyIds is null
     */
    public KeyChanges {
        keyIds = List.copyOf(Objects.requireNonNull(keyIds, "keyIds"));
    }
}
