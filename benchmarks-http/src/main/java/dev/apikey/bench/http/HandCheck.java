package dev.apikey.bench.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The check a team writes itself: the {@code X-Api-Key} header looked up in a {@code HashMap} of plaintext keys to
 * their scopes. No hashing, no constant-time compare, no expiry or revocation: the cheapest check that still looks
 * a key up, which is what the adapters are compared against.
 */
final class HandCheck {

    /** Where the key goes. */
    static final String HEADER = "X-Api-Key";
    /** The refusal's body. */
    static final String REFUSAL = "{\"error\":\"unauthorized\"}";

    private final Map<String, Set<String>> scopesByKey = new HashMap<>();

    HandCheck(String key) {
        scopesByKey.put(key, Set.of(Bench.SCOPE));
    }

    /** {@return whether the header's key holds {@link Bench#SCOPE}} */
    boolean allows(String header) {
        if (header == null) {
            return false;
        }
        Set<String> scopes = scopesByKey.get(header);
        return scopes != null && scopes.contains(Bench.SCOPE);
    }
}
