package dev.apikey;

import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which keys {@link ApiKeys#list(KeyQuery)} returns: all or one tenant's, optionally only those unused since
 * a date (to find keys nobody needs), past their rotate-by date (to find keys overdue for rotation), or
 * expiring or due for rotation within a time (to warn their owners).
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
    private final Duration expiringWithin;

    private KeyQuery(String tenantId, Instant unusedSince, boolean rotateByPassed, Duration expiringWithin) {
        this.tenantId = tenantId;
        this.unusedSince = unusedSince;
        this.rotateByPassed = rotateByPassed;
        this.expiringWithin = expiringWithin;
    }

    /** {@return every key of the store} */
    public static KeyQuery all() {
        return new KeyQuery(null, null, false, null);
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
        return new KeyQuery(tenantId, null, false, null);
    }

    /**
     * {@return only keys never used, or last used before {@code since}}
     *
     * @param since the cut-off time
     * @throws NullPointerException if since is null
     */
    public KeyQuery unusedSince(Instant since) {
        return new KeyQuery(tenantId, Instants.requireInRange("since", since), rotateByPassed, expiringWithin);
    }

    /** {@return only keys whose rotate-by date has come} */
    public KeyQuery rotateByPassed() {
        return new KeyQuery(tenantId, unusedSince, true, expiringWithin);
    }

    /**
     * Only keys that still work (active, expiring or disabled) and whose expiry or rotate-by date comes within
     * the given time from now, or has passed for rotate-by: what {@code apikey list --expiring 7d} shows.
     *
     * @param within how far ahead to look, 1 minute to 3,650 days
     * @return a new query
     * @throws IllegalArgumentException if within is out of that range
     */
    public KeyQuery expiringWithin(Duration within) {
        Objects.requireNonNull(within, "within");
        if (within.compareTo(Duration.ofMinutes(1)) < 0 || within.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException("within must be 1 minute to 3650 days, was " + within);
        }
        return new KeyQuery(tenantId, unusedSince, rotateByPassed, within);
    }

    /** {@return the tenant, if the query is for one} */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    boolean matches(ApiKeyInfo key, Instant now) {
        if (unusedSince != null && key.lastUsedAt().map(used -> !used.isBefore(unusedSince)).orElse(false)) {
            return false;
        }
        if (rotateByPassed && !key.rotateBy().map(by -> !by.isAfter(now)).orElse(false)) {
            return false;
        }
        return expiringWithin == null || isExpiringWithin(key, Instants.plusClamped(now, expiringWithin));
    }

    private static boolean isExpiringWithin(ApiKeyInfo key, Instant horizon) {
        ApiKeyInfo.Status status = key.status();
        if (status == ApiKeyInfo.Status.REVOKED || status == ApiKeyInfo.Status.EXPIRED) {
            return false;
        }
        return key.expiresAt().map(at -> !at.isAfter(horizon)).orElse(false)
                || key.rotateBy().map(by -> !by.isAfter(horizon)).orElse(false);
    }

    @Override
    public String toString() {
        return "KeyQuery[tenant=" + tenantId + ", unusedSince=" + unusedSince + ", rotateByPassed=" + rotateByPassed
                + ", expiringWithin=" + expiringWithin + "]";
    }
}
