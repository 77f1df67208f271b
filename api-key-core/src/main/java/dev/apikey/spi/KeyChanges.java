package dev.apikey.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ChangeFeed} returns: the ids of keys created, revoked or rotated after a position, the tenants whose
 * records ({@link TenantStore}) changed after it, and the position to ask from next time.
 *
 * @param position  the feed position after these changes; pass it to the next {@link ChangeFeed#changesSince}
 * @param keyIds    the ids of keys that changed, each once, in no particular order
 * @param tenantIds the tenants whose records changed (a suspension, a plan), each once, in no particular order; empty
 *                  for a store without tenant records
 */
public record KeyChanges(long position, List<String> keyIds, List<String> tenantIds) {

    /**
     * Copies the ids.
     *
     * @param position  the feed position after these changes; pass it to the next {@link ChangeFeed#changesSince}
     * @param keyIds    the ids of keys that changed, each once, in no particular order
     * @param tenantIds the tenants whose records changed, each once, in no particular order
     * @throws NullPointerException if keyIds or tenantIds is null
     */
    public KeyChanges {
        keyIds = List.copyOf(Objects.requireNonNull(keyIds, "keyIds"));
        tenantIds = List.copyOf(Objects.requireNonNull(tenantIds, "tenantIds"));
    }

    /**
     * Changes of keys only: a store without tenant records.
     *
     * @param position the feed position after these changes; pass it to the next {@link ChangeFeed#changesSince}
     * @param keyIds   the ids of keys that changed, each once, in no particular order
     * @throws NullPointerException if keyIds is null
     */
    public KeyChanges(long position, List<String> keyIds) {
        this(position, keyIds, List.of());
    }
}
