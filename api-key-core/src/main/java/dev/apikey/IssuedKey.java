package dev.apikey;

import dev.apikey.model.ApiKeyInfo;
import java.util.Objects;

/**
 * A key just created or rotated: the plaintext, available this once, and its {@link ApiKeyInfo}. The
 * plaintext is never stored; show it to its holder and let it go.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the hint, not the key; equality is identity.
 */
public final class IssuedKey {

    private final String plaintext;
    private final ApiKeyInfo info;

    IssuedKey(String plaintext, ApiKeyInfo info) {
        this.plaintext = Objects.requireNonNull(plaintext);
        this.info = Objects.requireNonNull(info);
    }

    /** {@return the full key, e.g. {@code wlcro_92_3kTz9QbC...}} Handle it as a secret. */
    public String plaintext() {
        return plaintext;
    }

    /** {@return the key's info: id, hint, tenant, name, scopes, dates, metadata} */
    public ApiKeyInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "IssuedKey[" + info.hint() + ", plaintext=redacted]";
    }
}
