package dev.apikey;

import dev.apikey.hash.Argon2idHasher;
import dev.apikey.internal.Base62;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Shared fixtures: the seed API's scope catalog, a cheap Argon2id, and key surgery with valid checksums. */
final class TestKeys {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events")
            .scope("events:write", "Create events")
            .scope("webhooks:write", "Manage webhook subscriptions")
            .scope("integrations:read", "Find integration clients")
            .scope("integrations:write", "Push leads")
            .wildcard("events:*", "Everything on events")
            .superScope("admin", "Everything")
            .build();

    /** Real Argon2id with tiny parameters, so tests that hash often stay fast. */
    static Argon2idHasher cheapArgon2() {
        return Argon2idHasher.builder().memoryKiB(256).iterations(1).insecureAllowWeakParameters().build();
    }

    private TestKeys() {
    }

    /** The 32-character secret of a plaintext key. */
    static String secretOf(String plaintext) {
        int token = plaintext.length() - 46;
        return plaintext.substring(token + 8, token + 40);
    }

    /** The key with its head (prefix and tenant) replaced and the checksum recomputed, so it parses. */
    static String withHead(String plaintext, String head) {
        return withChecksum(head + "_" + plaintext.substring(plaintext.length() - 46, plaintext.length() - 6));
    }

    /** The key with another secret and a recomputed checksum: well-formed, but the wrong secret. */
    static String withSecret(String plaintext, String secret) {
        int token = plaintext.length() - 46;
        return withChecksum(plaintext.substring(0, token + 8) + secret);
    }

    /** Appends the CRC32 checksum to everything before it. */
    static String withChecksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return body + Base62.encode(crc.getValue(), 6);
    }
}
