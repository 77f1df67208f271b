package dev.apikey;

import dev.apikey.hash.Argon2idHasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.ScopeCatalog;

/** Shared fixtures: the seed API's scope catalog, a cheap Argon2id, and key surgery with valid checksums. */
public final class TestKeys {

    public static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events")
            .scope("events:write", "Create events")
            .scope("webhooks:write", "Manage webhook subscriptions")
            .scope("integrations:read", "Find integration clients")
            .scope("integrations:write", "Push leads")
            .wildcard("events:*", "Everything on events")
            .superScope("admin", "Everything")
            .build();

    /** Real Argon2id with tiny parameters, so tests that hash often stay fast. */
    /** {@return every key of a store, read as one page} */
    public static java.util.List<dev.apikey.spi.StoredKey> all(dev.apikey.spi.KeyStore store) {
        return store.findPage(new dev.apikey.spi.KeyFilter(null, null, null, null, null, null, false, null, null,
                java.time.Instant.now()), 10_000);
    }

    public static Argon2idHasher cheapArgon2() {
        return Argon2idHasher.builder().memoryKiB(256).iterations(1).insecureAllowWeakParameters().build();
    }

    private TestKeys() {
    }

    private static final int TOKEN = KeyFormat.TOKEN_LENGTH;
    private static final int ID = KeyFormat.KEY_ID_LENGTH;

    /** The 32-character secret of a plaintext key. */
    static String secretOf(String plaintext) {
        int token = plaintext.length() - TOKEN;
        return plaintext.substring(token + ID, token + ID + KeyFormat.SECRET_LENGTH);
    }

    /** The key with its head (prefix and tenant) replaced and the checksum recomputed, so it parses. */
    static String withHead(String plaintext, String head) {
        return withChecksum(head + "_" + plaintext.substring(plaintext.length() - TOKEN,
                plaintext.length() - KeyFormat.CHECKSUM_LENGTH));
    }

    /** The key with another secret and a recomputed checksum: well-formed, but the wrong secret. */
    static String withSecret(String plaintext, String secret) {
        int token = plaintext.length() - TOKEN;
        return withChecksum(plaintext.substring(0, token + ID) + secret);
    }

    /** Appends the checksum to everything before it. */
    static String withChecksum(String body) {
        return body + KeyFormat.checksum(body);
    }
}
