package dev.apikey.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A number of verifies of one key with one outcome in one bucket, as the core hands them to a {@link UsageStore}
 * (minute buckets, to be added to what is stored) and as a store reads them back (at the grain asked).
 *
 * <p>Immutable.
 *
 * @param bucket   the bucket's start
 * @param keyId    the key, {@link #UNKNOWN_KEY} for refusals naming no known key, or {@code null} in a tenant's
 *                 series read back (its keys summed)
 * @param tenantId the key's tenant, or {@code null} (a key without one, or the unknown series)
 * @param outcome  {@code granted} or a failure code
 * @param count    how many, at least 0
 * @param networks a 64-bit sketch of the distinct source networks (each network sets one bit): merged with OR
 */
public record UsageCount(Instant bucket, String keyId, String tenantId, String outcome, long count, long networks) {

    /** The key id of the series of refusals that named no key known to the store; no real key id has a dash. */
    public static final String UNKNOWN_KEY = "-";

    private static final Pattern OUTCOME = Pattern.compile("[a-z][a-z0-9_]{1,63}");

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the outcome is not a code or the count is negative
     *
     * @param bucket see the record
     * @param keyId see the record
     * @param tenantId see the record
     * @param outcome see the record
     * @param count see the record
     * @param networks see the record
     */
    public UsageCount {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(outcome, "outcome");
        if (!OUTCOME.matcher(outcome).matches()) {
            throw new IllegalArgumentException("outcome must be 2 to 64 of [a-z0-9_] starting with a letter");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
    }
}
