package dev.apikey.model;

import java.util.Objects;
import java.util.Set;

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

    /**
     * The outcomes anybody can cause by naming a key id, without its secret (a wrong secret, a throttle of wrong
     * secrets, a malformed request), or that come before the secret is checked: every other outcome counted toward a
     * key was earned with its secret. {@link Rank#PROVEN} leaves these out.
     */
    public static final Set<String> UNPROVEN_OUTCOMES = Set.of(Failure.MISSING_API_KEY.code(),
            Failure.MALFORMED_REQUEST.code(), Failure.MALFORMED_API_KEY.code(), Failure.WRONG_ENVIRONMENT.code(),
            Failure.INVALID_API_KEY.code(), Failure.TOO_MANY_FAILED_ATTEMPTS.code(),
            Failure.STORE_UNAVAILABLE.code(), Failure.OVERLOADED.code(), Failure.NON_CANONICAL_PATH.code(),
            Failure.API_KEY_IN_URL.code());

    /** What a top list ranks by. */
    public enum Rank {
        /** Every verify, granted or refused. */
        CALLS,
        /** Refused verifies only. */
        REFUSALS,
        /**
         * Verifies earned with the key's secret: grants, and refusals other than {@link #UNPROVEN_OUTCOMES} (revoked,
         * out of scope, from an address not allowed, over an allowance...). What nobody can add to without the secret:
         * the anomaly detection ranks by it, so that garbage sent with other keys' ids crowds no key out.
         */
        PROVEN
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
