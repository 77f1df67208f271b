package dev.apikey.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal values between cached keys (tenant ids, scope sets): a million keys of a thousand tenants
 * then hold a thousand tenant strings. Stops taking new values at its bound, so hostile data cannot grow it
 * without limit; values past the bound are returned as given.
 *
 * <p>Not API. Thread-safe.
 *
 * @param <T> the value type, with value equality
 */
public final class Interner<T> {

    private final ConcurrentHashMap<T, T> values = new ConcurrentHashMap<>();
    private final int bound;

    /** @param bound most distinct values kept */
    public Interner(int bound) {
        this.bound = bound;
    }

    /** The instance equal to {@code value} seen first, or {@code value} itself; {@code null} for {@code null}. */
    public T intern(T value) {
        if (value == null) {
            return null;
        }
        T known = values.get(value);
        if (known != null) {
            return known;
        }
        if (values.size() >= bound) {
            return value;
        }
        known = values.putIfAbsent(value, value);
        return known != null ? known : value;
    }
}
