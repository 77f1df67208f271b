package dev.apikey;

import dev.apikey.internal.Instants;
import dev.apikey.internal.KeyLayout;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.spi.KeyFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which keys {@link ApiKeys#list(KeyQuery)} returns: all or one tenant's, optionally only those unused since
 * a date (to find keys nobody needs), past their rotate-by date (to find keys overdue for rotation), or
 * expiring or due for rotation within a time (to warn their owners), of a status, environment or owner, or with a
 * name containing a text. {@link ApiKeys#listPage} reads one page of it from the store, filtered and sorted there.
 *
 * <pre>{@code
 * apiKeys.list(KeyQuery.tenant("92").unusedSince(Instant.now().minus(Duration.ofDays(90))));
 * }</pre>
 *
 * <p>Immutable and thread-safe: each method returns a new query.
 */
public final class KeyQuery {

    /** Longest text a name filter may hold: a key's name is at most 100 characters. */
    private static final int MAX_NAME = 100;

    /** {@code null}: every key, tenant-less ones included. */
    private final Set<String> tenantIds;
    private final Instant unusedSince;
    private final boolean rotateByPassed;
    private final Duration expiringWithin;
    private final ApiKeyInfo.Status status;
    private final String environment;
    private final String owner;
    private final String nameContains;
    private final KeyFilter.Sort sort;
    private final boolean descending;

    private KeyQuery(Set<String> tenantIds, Instant unusedSince, boolean rotateByPassed, Duration expiringWithin,
            ApiKeyInfo.Status status, String environment, String owner, String nameContains) {
        this.tenantIds = tenantIds;
        this.unusedSince = unusedSince;
        this.rotateByPassed = rotateByPassed;
        this.expiringWithin = expiringWithin;
        this.status = status;
        this.environment = environment;
        this.owner = owner;
        this.nameContains = nameContains;
        this.sort = KeyFilter.Sort.KEY_ID;
        this.descending = false;
    }

    private KeyQuery(KeyQuery base, KeyFilter.Sort sort, boolean descending) {
        this.tenantIds = base.tenantIds;
        this.unusedSince = base.unusedSince;
        this.rotateByPassed = base.rotateByPassed;
        this.expiringWithin = base.expiringWithin;
        this.status = base.status;
        this.environment = base.environment;
        this.owner = base.owner;
        this.nameContains = base.nameContains;
        this.sort = sort;
        this.descending = descending;
    }

    /** {@return every key of the store} */
    public static KeyQuery all() {
        return new KeyQuery(null, null, false, null, null, null, null, null);
    }

    /**
     * {@return the keys of one tenant}
     *
     * @param tenantId the tenant
     * @throws IllegalArgumentException if tenantId breaks the tenant id rule
     */
    public static KeyQuery tenant(String tenantId) {
        return tenants(Set.of(requireTenant(tenantId)));
    }

    /**
     * {@return the keys of any of these tenants; none at all if the collection is empty} What a caller that manages
     * several tenants lists.
     *
     * @param tenantIds the tenants
     * @throws IllegalArgumentException if a tenant id breaks the tenant id rule
     * @throws NullPointerException if tenantIds is or holds null
     */
    public static KeyQuery tenants(Collection<String> tenantIds) {
        Objects.requireNonNull(tenantIds, "tenantIds").forEach(KeyQuery::requireTenant);
        return new KeyQuery(Set.copyOf(tenantIds), null, false, null, null, null, null, null);
    }

    private static String requireTenant(String tenantId) {
        String problem = KeyLayout.tenantProblem(tenantId);
        if (problem != null) {
            throw new IllegalArgumentException("tenantId " + problem);
        }
        return tenantId;
    }

    /**
     * {@return only keys never used, or last used before {@code since}}
     *
     * @param since the cut-off time
     * @throws NullPointerException if since is null
     */
    public KeyQuery unusedSince(Instant since) {
        return keep(new KeyQuery(tenantIds, Instants.requireInRange("since", since), rotateByPassed, expiringWithin, status,
                environment, owner, nameContains));
    }

    /** {@return only keys whose rotate-by date has come} */
    public KeyQuery rotateByPassed() {
        return keep(new KeyQuery(tenantIds, unusedSince, true, expiringWithin, status, environment, owner, nameContains));
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
        return keep(new KeyQuery(tenantIds, unusedSince, rotateByPassed, within, status, environment, owner, nameContains));
    }

    /**
     * {@return only keys with this status when the list is read}
     *
     * @param wanted the status
     * @throws NullPointerException if wanted is null
     */
    public KeyQuery status(ApiKeyInfo.Status wanted) {
        return keep(new KeyQuery(tenantIds, unusedSince, rotateByPassed, expiringWithin,
                Objects.requireNonNull(wanted, "status"), environment, owner, nameContains));
    }

    /**
     * {@return only keys of this environment (exactly)}
     *
     * @param wanted the environment, 1 to 32 characters
     * @throws IllegalArgumentException if wanted is empty or longer
     */
    public KeyQuery environment(String wanted) {
        return keep(new KeyQuery(tenantIds, unusedSince, rotateByPassed, expiringWithin, status,
                requireText("environment", wanted, 32), owner, nameContains));
    }

    /**
     * {@return only keys of this owner (exactly)}
     *
     * @param wanted the owner, 1 to 200 characters
     * @throws IllegalArgumentException if wanted is empty or longer
     */
    public KeyQuery owner(String wanted) {
        return keep(new KeyQuery(tenantIds, unusedSince, rotateByPassed, expiringWithin, status, environment,
                requireText("owner", wanted, 200), nameContains));
    }

    /**
     * {@return only keys whose name contains this text, in any case (compared in lower case, {@link Locale#ROOT})}
     *
     * @param text 1 to 100 characters
     * @throws IllegalArgumentException if text is empty or longer
     */
    public KeyQuery nameContains(String text) {
        return keep(new KeyQuery(tenantIds, unusedSince, rotateByPassed, expiringWithin, status, environment, owner,
                requireText("name", text, MAX_NAME)));
    }

    private static String requireText(String field, String text, int max) {
        Objects.requireNonNull(text, field);
        if (text.isEmpty() || text.length() > max) {
            throw new IllegalArgumentException(field + " must be 1 to " + max + " characters, was " + text.length());
        }
        return text;
    }

    /**
     * {@return this query in another order} {@link ApiKeys#listPage} cuts pages in it; the cursor of a page is valid
     * only for a query of the same order.
     *
     * <p>Last use sorts by the store's value: a use this instance has not written yet counts from the next write.
     *
     * @param by         the column: name, created, last used or expiry (never-set values last), or key id
     * @param descending whether descending (key ids too, as the tie-break)
     * @throws NullPointerException if by is null
     */
    public KeyQuery sortedBy(KeyFilter.Sort by, boolean descending) {
        return new KeyQuery(this, Objects.requireNonNull(by, "by"), descending);
    }

    /** {@return the column this query is sorted by} */
    public KeyFilter.Sort sort() {
        return sort;
    }

    /** {@return whether this query is sorted descending} */
    public boolean descending() {
        return descending;
    }

    /** The same order on a query built from this one. */
    private KeyQuery keep(KeyQuery next) {
        return new KeyQuery(next, sort, descending);
    }

    /** {@return the tenant, if the query is for exactly one} */
    public Optional<String> tenantId() {
        return tenantIds != null && tenantIds.size() == 1 ? Optional.of(tenantIds.iterator().next())
                : Optional.empty();
    }

    /** The store's filter for this query at {@code now}, from the start, in this query's order. */
    KeyFilter filter(Instant now) {
        return new KeyFilter(tenantIds, status, environment, owner, nameContains, unusedSince, rotateByPassed,
                expiringWithin == null ? null : Instants.plusClamped(now, expiringWithin), null, now, sort, descending,
                null);
    }

    boolean matches(ApiKeyInfo key, Instant now) {
        if (tenantIds != null && !key.attributes().tenantId().filter(tenantIds::contains).isPresent()) {
            return false;
        }
        if (status != null && key.status() != status
                || environment != null && !key.attributes().environment().filter(environment::equals).isPresent()
                || owner != null && !key.attributes().owner().filter(owner::equals).isPresent()
                || nameContains != null && !key.attributes().name().toLowerCase(Locale.ROOT)
                        .contains(nameContains.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (unusedSince != null && key.lastUsedAt().map(used -> !used.isBefore(unusedSince)).orElse(false)) {
            return false;
        }
        if (rotateByPassed && !key.attributes().rotateBy().map(by -> !by.isAfter(now)).orElse(false)) {
            return false;
        }
        return expiringWithin == null || isExpiringWithin(key, Instants.plusClamped(now, expiringWithin));
    }

    private static boolean isExpiringWithin(ApiKeyInfo key, Instant horizon) {
        ApiKeyInfo.Status current = key.status();
        if (current == ApiKeyInfo.Status.REVOKED || current == ApiKeyInfo.Status.EXPIRED) {
            return false;
        }
        return key.attributes().expiresAt().map(at -> !at.isAfter(horizon)).orElse(false)
                || key.attributes().rotateBy().map(by -> !by.isAfter(horizon)).orElse(false);
    }

    @Override
    public String toString() {
        return "KeyQuery[tenants=" + tenantIds + ", unusedSince=" + unusedSince + ", rotateByPassed=" + rotateByPassed
                + ", expiringWithin=" + expiringWithin + ", status=" + status + ", environment=" + environment
                + ", owner=" + owner + ", nameContains=" + nameContains + ", sort=" + sort + (descending ? " desc" : "") + "]";
    }
}
