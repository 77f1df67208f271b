package dev.apikey.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A warning about a key, sent once per key, date and horizon across every instance sharing the store: its
 * expiry or rotate-by date is near, or it has gone unused and the unused-key policy will disable it. Hosts
 * receive notices through {@link dev.apikey.spi.KeyEventListener#warned} and send mail or chat messages to
 * the key's owner.
 *
 * @param kind    what the warning is about
 * @param key     the key, as it was when the check ran
 * @param due     when it happens: the expiry, the rotate-by date, or when the key will be disabled for disuse
 * @param horizon the warning horizon that was reached, e.g. 7 days before {@code due}
 */
public record KeyNotice(Kind kind, ApiKeyInfo key, Instant due, Duration horizon) {

    /** What a notice warns about. */
    public enum Kind {
        /** The key expires at {@code due}. */
        EXPIRES,
        /** The key should be rotated by {@code due}. */
        ROTATE_BY,
        /** The key has not been used for a while and the unused-key policy disables it at {@code due}. */
        UNUSED
    }

    /**
     * Checks that no component is null.
     *
     * @param kind    what the warning is about
     * @param key     the key
     * @param due     when it happens
     * @param horizon the horizon reached
     */
    public KeyNotice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(due, "due");
        Objects.requireNonNull(horizon, "horizon");
    }
}
