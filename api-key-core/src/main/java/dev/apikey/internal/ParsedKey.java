package dev.apikey.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A reusable, per-thread buffer that {@link KeyParser} fills with one presented key, so that parsing,
 * checksumming and digesting a key allocate nothing.
 *
 * <p>Not API. Not thread-safe: one instance per thread, valid until the next parse.
 */
public final class ParsedKey {

    final byte[] chars = new byte[KeyLayout.MAX_HEADER_LENGTH];
    final CRC32 crc = new CRC32();
    int length;
    int tenantStart = -1;
    int tenantEnd = -1;
    int secretStart;
    long lookupId;

    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    /** The bytes a credential digest covers, assembled in one place. */
    private final byte[] credential = new byte[KeyLayout.SECRET_LENGTH + 1 + KeyLayout.MAX_TENANT_LENGTH];

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
     * SHA-256 of the secret bound to the key's tenant segment (secret, tenant length, tenant), into a buffer
     * owned by this object: valid until the next call, copy it to keep it. Two keys with the same secret and
     * different tenant segments have different digests.
     */
    public byte[] credentialDigest() {
        // One contiguous update: secret, tenant length, tenant (length 0 and nothing for a tenant-less key).
        byte[] c = credential;
        System.arraycopy(chars, secretStart, c, 0, KeyLayout.SECRET_LENGTH);
        int tenantLength = hasTenant() ? tenantEnd - tenantStart : 0;
        c[KeyLayout.SECRET_LENGTH] = (byte) tenantLength;
        if (tenantLength > 0) {
            System.arraycopy(chars, tenantStart, c, KeyLayout.SECRET_LENGTH + 1, tenantLength);
        }
        sha256.update(c, 0, KeyLayout.SECRET_LENGTH + 1 + tenantLength);
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

    /** Forgets the secret: zeroes the bytes copied from the last header. */
    public void clear() {
        Arrays.fill(chars, 0, length, (byte) 0);
        Arrays.fill(credential, (byte) 0);
        length = 0;
    }

    @Override
    public String toString() {
        return "ParsedKey[redacted]";
    }
}
