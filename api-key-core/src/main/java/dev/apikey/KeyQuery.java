package dev.apikey;

import dev.apikey.internal.KeyLayout;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which keys {@link ApiKeys#list(KeyQuery)} returns: all or one tenant's, optionally only those unused since
 * a date (to find keys nobody needs) or past their rotate-by date (to find keys overdue for rotation).
 *
 * <pre>{@code
 * apiKeys.list(KeyQuery.tenant("92").unusedSince(Instant.now().minus(Duration.ofDays(90))));
 * }</pre>
 *
 * <p>Immutable and thread-safe: each method returns a new query.
 */
public final class KeyQuery {

    private final String tenantId;
    private final Instant unusedSince;
    private final boolean rotateByPassed;

    private KeyQuery(String tenantId, Instant unusedSince, boolean rotateByPassed) {
        this.tenantId = tenantId;
        this.unusedSince = unusedSince;
        this.rotateByPassed = rotateByPassed;
    }

    /** {@return every key of the store} */
    public static KeyQuery all() {
        return new KeyQuery(null, null, false);
    }

    /**
     * {@return the keys of one tenant}
     *
     * @param tenantId the tenant
     * @throws IllegalArgumentException if tenantId breaks the tenant id rule
     */
    public static KeyQuery tenant(String tenantId) {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
        return new KeyQuery(tenantId, null, false);
    }

    /**
     * {@return only keys never used, or last used before {@code since}}
     *
     * @param since the cut-off time
     * @throws NullPointerException if since is null
     */
    public KeyQuery unusedSince(Instant since) {
        return new KeyQuery(tenantId, Objects.requireNonNull(since, "since"), rotateByPassed);
    }

    /** {@return only keys whose rotate-by date has come} */
    public KeyQuery rotateByPassed() {
        return new KeyQuery(tenantId, unusedSince, true);
    }

    /** {@return the tenant, if the query is for one} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    boolean matches(ApiKeyInfo key, Instant now) {
        if (unusedSince != null && key.lastUsedAt().map(used -> !used.isBefore(unusedSince)).orElse(false)) {
            return false;
        }
        return !rotateByPassed || key.rotateBy().map(by -> !by.isAfter(now)).orElse(false);
    }

    @Override
    public String toString() {
        return "KeyQuery[tenant=" + tenantId + ", unusedSince=" + unusedSince + ", rotateByPassed=" + rotateByPassed
                + "]";
    }
}
