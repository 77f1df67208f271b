package dev.apikey;

import dev.apikey.internal.KeyGenerator;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * The stored record an import line becomes: a moved key as it was (at version 1), a plaintext of our format hashed
 * with the current policy, a plaintext of another format or a stored hash as a legacy key with a fresh key id of
 * ours. Plaintexts go no further than this class and are never logged. Thread-safe; package-private.
 */
final class ImportRecords {

    private final KeyStore store;
    private final HashPolicy hashing;
    private final KeyParser parser;
    private final KeyGenerator generator;

    ImportRecords(KeyStore store, HashPolicy hashing, KeyParser parser, KeyGenerator generator) {
        this.store = store;
        this.hashing = hashing;
        this.parser = parser;
        this.generator = generator;
    }

    /** {@return the record a line becomes} @throws IllegalArgumentException if the line's key is malformed */
    StoredKey of(KeyImport line, Instant now) {
        if (line.isRecord()) {
            return moved(line.record());
        }
        StoredKey record = line.legacyHash() != null ? legacy(line.legacyHash(), line.spec(), now) : hashed(line, now);
        return line.externalId() == null ? record : StoredKey.builder(record.keyId()).secretHash(record.secretHash())
                .attributes(record.attributes()).createdAt(record.createdAt()).externalId(line.externalId()).build();
    }

    /** A moved key starts at version 1 in its new store: versions guard changes within one store. */
    private static StoredKey moved(StoredKey k) {
        return StoredKey.builder(k.keyId()).secretHash(k.secretHash()).attributes(k.attributes())
                .createdAt(k.createdAt()).revokedAt(k.revokedAt()).disabledAt(k.disabledAt())
                .replacedBy(k.replacedBy()).lastUsedAt(k.lastUsedAt()).lineageId(k.lineageId())
                .externalId(k.externalId()).build();
    }

    /** Parses a plaintext of our format and hashes its secret; the plaintext goes no further. */
    private StoredKey hashed(KeyImport line, Instant now) {
        KeySpec spec = line.spec();
        Instant expires = spec.expiresAt().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expires_at must be in the future, was " + expires);
        }
        ParsedKey key = new ParsedKey();
        try {
            KeyParser.Outcome outcome = parser.parse(line.plaintext(), key);
            if (outcome != KeyParser.Outcome.OK && !line.plaintext().startsWith(generator.prefix() + "_")
                    && !OUR_SHAPE.matcher(line.plaintext()).matches()) {
                return legacy(legacyDigest(line.plaintext()), spec, now);
            }
            if (outcome != KeyParser.Outcome.OK) {
                throw new MalformedImport("the key is not a well-formed key of this environment ("
                        + outcome.name().toLowerCase(Locale.ROOT) + ")");
            }
            if (!key.tenantEquals(spec.tenantId().orElse(null))) {
                throw new IllegalArgumentException("tenant_id must be the key's own tenant (the tenant segment of the"
                        + " key), was " + spec.tenantId().orElse("none"));
            }
            byte[] secret = key.copySecret();
            try {
                return StoredKey.builder(key.keyId()).secretHash(hashing.hash(secret)).attributes(spec).createdAt(now)
                        .build();
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } finally {
            key.clear();
        }
    }

    /** A rerun: a moved key with the same stored hash, or a plaintext whose secret the stored hash accepts. */
    boolean sameSecret(KeyImport line, StoredKey existing, StoredKey record) {
        if (line.isRecord()) {
            return existing.secretHash().equals(record.secretHash());
        }
        ParsedKey key = new ParsedKey();
        try {
            if (parser.parse(line.plaintext(), key) != KeyParser.Outcome.OK) {
                return false;
            }
            byte[] secret = key.copySecret();
            try {
                return hashing.verify(existing.keyId(), secret, existing.secretHash());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } finally {
            key.clear();
        }
    }

    /** The refusal's code: the exception's name in snake case without "Exception" ({@code scope_not_in_plan}). */
    static String code(RuntimeException e) {
        if (e instanceof MalformedImport) {
            return "malformed_key";
        }
        if (e.getClass() == IllegalArgumentException.class || e.getClass() == IllegalStateException.class) {
            return "invalid";
        }
        String name = e.getClass().getSimpleName().replace("Exception", "");
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Any key of our layout, whatever its prefix: such a plaintext (or one that starts with this environment's prefix)
     * must parse as ours, never become legacy.
     */
    private static final java.util.regex.Pattern OUR_SHAPE = java.util.regex.Pattern.compile(
            dev.apikey.model.KeyFormat.anyPrefixRegex());
    /** Longest plaintext of another format taken as a legacy key. */
    private static final int MAX_LEGACY_PLAINTEXT = 512;

    /** The stored hash of a plaintext of another format: the SHA-256 of the whole key. */
    private static String legacyDigest(String plaintext) {
        if (plaintext.isEmpty() || plaintext.length() > MAX_LEGACY_PLAINTEXT
                || !plaintext.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new MalformedImport("a key of another format must be 1 to " + MAX_LEGACY_PLAINTEXT
                    + " printable ASCII characters without spaces");
        }
        return LegacyHash.sha256Hex(LegacyHash.keyDigest(plaintext));
    }

    /** A legacy key: a fresh key id of ours (none in the store yet), the legacy hash as its stored hash. */
    private StoredKey legacy(String storedHash, KeySpec spec, Instant now) {
        Instant expires = spec.expiresAt().orElse(null);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expires_at must be in the future, was " + expires);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            dev.apikey.internal.KeyGenerator.Generated g = generator.generate(spec.tenantId().orElse(null));
            String id = g.keyId();
            g.destroy();
            if (store.findById(id).isEmpty()) {
                return StoredKey.builder(id).secretHash(storedHash).attributes(spec).createdAt(now).build();
            }
        }
        throw new IllegalStateException("no free key id after 3 attempts; is the random source broken?");
    }

    /** A plaintext that is not a key of this environment. */
    private static final class MalformedImport extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedImport(String message) {
            super(message);
        }
    }
}
