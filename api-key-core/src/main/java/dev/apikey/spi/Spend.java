package dev.apikey.spi;

/**
 * What a {@link Meter} answered: granted, or refused by the most constrained allowance of the batch.
 *
 * @param refusedIndex     -1 when granted; otherwise the index in the batch of the most constrained allowance: of
 *                         those that refused, the one whose room comes last (ties: the first)
 * @param retryAfterMillis 0 when granted; otherwise milliseconds from the spend's time until the refusing allowance
 *                         has room for the cost (for a quota, until its window starts again), or
 *                         {@link #NEVER} when the cost is above its limit
 */
public record Spend(int refusedIndex, long retryAfterMillis) {

    /** The retry-after of a cost above the limit: no wait makes room for it. */
    public static final long NEVER = Long.MAX_VALUE;

    /** The one granted answer, shared so that a grant allocates nothing. */
    public static final Spend GRANTED = new Spend(-1, 0);

    /**
     * Checks the values.
     *
     * @param refusedIndex     -1, or the index of the refusing allowance
     * @param retryAfterMillis 0 when granted, 1 or more when refused
     * @throws IllegalArgumentException if they do not agree with each other, naming the field
     */
    public Spend {
        if (refusedIndex < -1) {
            throw new IllegalArgumentException("refusedIndex must be -1 (granted) or 0 or more, was " + refusedIndex);
        }
        if (refusedIndex == -1 ? retryAfterMillis != 0 : retryAfterMillis < 1) {
            throw new IllegalArgumentException("retryAfterMillis must be 0 when granted and 1 or more when refused, was "
                    + retryAfterMillis);
        }
    }

    /**
     * {@return a refusal}
     *
     * @param index            the refusing allowance's index in the batch
     * @param retryAfterMillis milliseconds until it has room (at least 1), or {@link #NEVER}
     */
    public static Spend refused(int index, long retryAfterMillis) {
        if (index < 0) {
            throw new IllegalArgumentException("refusedIndex must be 0 or more, was " + index);
        }
        return new Spend(index, Math.max(1, retryAfterMillis));
    }

    /** {@return whether every allowance had room and the cost was spent from each} */
    public boolean granted() {
        return refusedIndex < 0;
    }
}
