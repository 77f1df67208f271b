package dev.apikey.internal;

import java.util.Arrays;

/**
 * A set of catalog scopes as bits, one per catalog entry, with implications already applied: a check is
 * one array read and one AND.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScopeBits {

    public static final ScopeBits EMPTY = new ScopeBits(new long[0]);

    private final long[] words;

    private ScopeBits(long[] words) {
        this.words = words;
    }

    public static ScopeBits ofBits(int size, int... bits) {
        long[] words = new long[(size + 63) >>> 6];
        for (int bit : bits) {
            words[bit >>> 6] |= 1L << bit;
        }
        return new ScopeBits(words);
    }

    public ScopeBits or(ScopeBits other) {
        long[] longer = words.length >= other.words.length ? words : other.words;
        long[] shorter = longer == words ? other.words : words;
        long[] result = Arrays.copyOf(longer, longer.length);
        for (int i = 0; i < shorter.length; i++) {
            result[i] |= shorter[i];
        }
        return new ScopeBits(result);
    }

    /** {@return the bits set in both} */
    public ScopeBits and(ScopeBits other) {
        long[] result = new long[Math.min(words.length, other.words.length)];
        for (int i = 0; i < result.length; i++) {
            result[i] = words[i] & other.words[i];
        }
        return new ScopeBits(result);
    }

    /** {@return whether no bit is set} */
    public boolean isEmpty() {
        for (long w : words) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    /** The i-th 64-bit word, 0 beyond the end. */
    public long word(int i) {
        return i < words.length ? words[i] : 0L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopeBits && Arrays.equals(words, ((ScopeBits) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    public boolean has(int bit) {
        int word = bit >>> 6;
        return word < words.length && (words[word] & (1L << bit)) != 0;
    }
}
