package dev.apikey;

import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import java.util.List;

/**
 * Keys handed out before the host used this library ({@link ApiKeys#legacy()}): the declared formats, and the import
 * of one such key by its stored hash. A legacy key lives in the same store as ours, under a key id of ours, with the
 * same attributes; it is verified, rate limited, revoked, listed and counted like ours and marked
 * {@link ApiKeyInfo#legacy()}. Rotating it issues a key of our format.
 *
 * <p>Thread-safe.
 */
public final class LegacyKeys {

    private final KeyLifecycle lifecycle;
    private final LegacySettings settings;

    LegacyKeys(KeyLifecycle lifecycle, LegacySettings settings) {
        this.lifecycle = lifecycle;
        this.settings = settings;
    }

    /** {@return the declared legacy formats, in the order a presented key is tried against them} */
    public List<LegacyFormat> formats() {
        return settings.formats();
    }

    /**
     * Imports one legacy key as the host's own code (no grant ceiling, cap or create rate; the rules of the
     * attributes apply). Use {@link KeyManager#importLegacy} for a caller's imports.
     *
     * @param spec       its attributes; set {@link KeySpec.Builder#rotateBy} to ask its holder to rotate it by then
     * @param storedHash its hash as {@link dev.apikey.spi.LegacyHash} makes it: {@code sha256...} for a digest of the
     *                   whole key, {@code salted(idPart, hash)} for a bcrypt, Argon2id or PBKDF2 hash
     * @return the imported key; it has no plaintext here, its holder has it
     * @throws IllegalArgumentException if the hash is not a legacy hash, or an attribute breaks its rule
     * @throws dev.apikey.spi.DuplicateKeyException naming the key that already has this hash (an import run again)
     * @throws IllegalStateException if the store does not implement {@link dev.apikey.spi.KeyDigestLookup}
     */
    public ApiKeyInfo importKey(KeySpec spec, String storedHash) {
        return lifecycle.importLegacy(spec, storedHash, Actor.HOST, false);
    }

    @Override
    public String toString() {
        return "LegacyKeys" + settings.formats();
    }
}
