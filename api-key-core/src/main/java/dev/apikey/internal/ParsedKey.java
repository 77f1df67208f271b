package dev.apikey.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A reusable, per-thread buffer that {@link KeyParser} fills with one presented key, so that parsing,
 * checksumming and digesting a key allocate nothing.
 *
 * <p>Not API. Not thread-safe: one instance per thread, valid until the next parse.
 */
public final class ParsedKey {

    final byte[] chars = new byte[KeyLayout.MAX_HEADER_LENGTH];
    int length;
    int tenantStart = -1;
    int tenantEnd = -1;
    /** Where the secret starts in {@link #chars}; -1 until a parse found a well-formed key. */
    int secretStart = -1;
    long lookupId;
    /** Where the held key starts in {@link #chars}, after any {@code Bearer}: set by {@link #locateKey} only. */
    int keyStart;
    /** Whether the key was recognised as a legacy key ({@link #markLegacy}); then {@link #lookupId} is its id. */
    boolean legacy;
    /** Whether {@link #digest} holds the legacy key's whole-key digest ({@link #markLegacy}). */
    boolean legacyDigested;

    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];

    /** Creates an empty buffer. */
    public ParsedKey() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The lookup id of the parsed key as a number (the base62 digits read as one value). */
    public long lookupId() {
        return lookupId;
    }

    /** The lookup id as its 8 base62 characters. */
    public String keyId() {
        return Base62.encode(lookupId, KeyLayout.LOOKUP_ID_LENGTH);
    }

    /** Whether the key carries a tenant segment. */
    public boolean hasTenant() {
        return tenantStart >= 0;
    }

    /** The tenant segment, or {@code null}; allocates, so for the slow path and logs only. */
    public String tenantId() {
        return hasTenant() ? new String(chars, tenantStart, tenantEnd - tenantStart, java.nio.charset.StandardCharsets.US_ASCII) : null;
    }

    /**
     * Whether the key's tenant segment equals {@code tenant}, both absent counting as equal. Allocates nothing.
     */
    public boolean tenantEquals(String tenant) {
        if (tenant == null || !hasTenant()) {
            return tenant == null && !hasTenant();
        }
        int n = tenantEnd - tenantStart;
        if (tenant.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (chars[tenantStart + i] != tenant.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * SHA-256 of the secret bound to the key's tenant segment, into a buffer owned by this object: valid until the
     * next call, copy it to keep it. It covers the key's bytes from the tenant segment (or, without one, from the
     * key id) to the end of the secret, one stretch of the header as sent: {@code <tenant>_<key id><secret>} or
     * {@code <key id><secret>}. Two keys with the same secret and different tenant segments have different digests,
     * and a tenant-less key's stretch (40 base62 characters) is never a tenant key's (which holds a {@code _}).
     */
    public byte[] credentialDigest() {
        if (legacy) {
            // A legacy key's credential is the whole key: digested once already where its look-up needed it.
            return legacyDigested ? digest : legacyDigest();
        }
        int from = hasTenant() ? tenantStart : secretStart - KeyLayout.LOOKUP_ID_LENGTH;
        sha256.update(chars, from, secretStart + KeyLayout.SECRET_LENGTH - from);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit its own length", e);
        }
        return digest;
    }

    /**
     * Finds where the held key starts, after any {@code Bearer}, for a declared legacy format's scan ({@link #held()}
     * from here to {@link #heldLength()}); only meaningful after a parse that refused the key as malformed, when every
     * character of the header is held. Found here, not by the parser, so that our own keys' parse does none of it.
     *
     * @return where the key starts in {@link #held()}
     */
    public int locateKey() {
        // The parser trimmed the header and let blanks through only after the scheme: the key follows the last one.
        int start = length;
        while (start > 0 && chars[start - 1] != ' ' && chars[start - 1] != '\t') {
            start--;
        }
        keyStart = start;
        return start;
    }

    /** {@return the buffer the header was copied into (non-ASCII as {@code 0x80}); read, do not keep} */
    public byte[] held() {
        return chars;
    }

    /** {@return how many bytes of {@link #held()} the header filled} */
    public int heldLength() {
        return length;
    }

    /**
     * Marks the held key as a legacy key found under a key id of ours: from here on {@link #keyId()} is that id, the
     * key has no tenant segment, and {@link #credentialDigest()}, {@link #legacyDigest()} and {@link #copyLegacyKey()}
     * read the whole key.
     *
     * @param id       the key id, as a number
     * @param digested whether the last {@link #legacyDigest()} (still in its buffer, nothing digested since) is this
     *                 key's, so that {@link #credentialDigest()} returns it without digesting again
     */
    public void markLegacy(long id, boolean digested) {
        legacy = true;
        legacyDigested = digested;
        lookupId = id;
        tenantStart = -1;
        tenantEnd = -1;
    }

    /** {@return whether the held key is a legacy key ({@link #markLegacy})} */
    public boolean isLegacy() {
        return legacy;
    }

    /**
     * SHA-256 of the whole held key, into the buffer {@link #credentialDigest()} uses (valid until the next call):
     * what a legacy key of the digest form is found by, and what a verified legacy key is remembered by.
     *
     * @return the digest
     */
    public byte[] legacyDigest() {
        sha256.update(chars, keyStart, length - keyStart);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit its own length", e);
        }
        return digest;
    }

    /**
     * {@return the characters {@code [from, from + n)} of the held key as a string}, e.g. a legacy key's id part
     *
     * @param from where, counted from the key's first character
     * @param n    how many
     */
    public String keyPart(int from, int n) {
        return new String(chars, keyStart + from, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A fresh copy of the whole held key's bytes, for a legacy key's salted hash; the caller should zero it. */
    public byte[] copyLegacyKey() {
        return Arrays.copyOfRange(chars, keyStart, length);
    }

    /** A fresh copy of the secret's bytes; the caller should zero it when done. */
    public byte[] copySecret() {
        return Arrays.copyOfRange(chars, secretStart, secretStart + KeyLayout.SECRET_LENGTH);
    }

    /**
     * Forgets the secret: zeroes its bytes after a well-formed key (the rest of a key is public), every byte
     * copied from the header otherwise.
     */
    public void clear() {
        if (secretStart >= 0) {
            System.arraycopy(ZEROS, 0, chars, secretStart, KeyLayout.SECRET_LENGTH);
            secretStart = -1;
        } else {
            Arrays.fill(chars, 0, length, (byte) 0);
        }
        length = 0;
        keyStart = 0;
        legacy = false;
        legacyDigested = false;
    }

    private static final byte[] ZEROS = new byte[KeyLayout.SECRET_LENGTH];

    @Override
    public String toString() {
        return "ParsedKey[redacted]";
    }
}
