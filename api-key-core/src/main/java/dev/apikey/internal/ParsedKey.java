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
        int from = hasTenant() ? tenantStart : secretStart - KeyLayout.LOOKUP_ID_LENGTH;
        sha256.update(chars, from, secretStart + KeyLayout.SECRET_LENGTH - from);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit its own length", e);
        }
        return digest;
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
    }

    private static final byte[] ZEROS = new byte[KeyLayout.SECRET_LENGTH];

    @Override
    public String toString() {
        return "ParsedKey[redacted]";
    }
}
