package dev.apikey.model;

import java.util.Objects;

/**
 * One key's verifies over a time range, for top lists (a tenant's busiest keys, the keys with the most refusals).
 *
 * <p>Immutable.
 *
 * @param keyId    the key
 * @param tenantId its tenant, or {@code null}
 * @param granted  granted verifies
 * @param refused  refused verifies (every kind) that named the key
 */
public record UsageTotal(String keyId, String tenantId, long granted, long refused) {

    /** What a top list ranks by. */
    public enum Rank {
        /** Every verify, granted or refused. */
        CALLS,
        /** Refused verifies only. */
        REFUSALS
    }

    /**
     * Checks the counts.
     *
     * @param keyId see the record
     * @param tenantId see the record
     * @param granted see the record
     * @param refused see the record
     */
    public UsageTotal {
        Objects.requireNonNull(keyId, "keyId");
        if (granted < 0 || refused < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** {@return granted and refused together} */
    public long calls() {
        return granted + refused;
    }
}
