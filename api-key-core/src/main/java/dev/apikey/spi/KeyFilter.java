package dev.apikey.spi;

import dev.apikey.ApiKeyInfo;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which keys {@link KeyStore#findPage} reads: every condition that is set must hold. {@code ApiKeys.listPage}
 * builds it from a {@code KeyQuery}; a store turns it into its own query (SQL's {@code WHERE}) and {@link #matches}
 * is the reference every store must agree with.
 *
 * @param tenantIds      only keys of these tenants, or {@code null} for every key, tenant-less ones included; an
 *                       empty set selects nothing
 * @param status         only keys with this status at {@code now}, or {@code null}
 * @param environment    only keys of this environment, or {@code null}
 * @param owner          only keys of this owner, or {@code null}
 * @param nameContains   only keys whose name contains this, compared in lower case ({@link Locale#ROOT}), or
 *                       {@code null}
 * @param unusedSince    only keys never used or last used before this, or {@code null}
 * @param rotateByPassed only keys whose rotate-by date is at or before {@code now}
 * @param expiringBefore only keys neither revoked nor expired at {@code now} whose expiry or rotate-by date is at or
 *                       before this, or {@code null}
 * @param afterKeyId     only keys whose id sorts after this one ({@link String#compareTo}, i.e. byte order), or
 *                       {@code null} for the first page
 * @param now            the time statuses and dates are judged at
 */
public record KeyFilter(Set<String> tenantIds, ApiKeyInfo.Status status, String environment, String owner,
        String nameContains, Instant unusedSince, boolean rotateByPassed, Instant expiringBefore, String afterKeyId,
        Instant now) {

    /**
     * Copies the tenant set.
     *
     * @param tenantIds      only keys of these tenants, or {@code null} for every key
     * @param status         only keys with this status at {@code now}, or {@code null}
     * @param environment    only keys of this environment, or {@code null}
     * @param owner          only keys of this owner, or {@code null}
     * @param nameContains   only keys whose name contains this in lower case, or {@code null}
     * @param unusedSince    only keys never used or last used before this, or {@code null}
     * @param rotateByPassed only keys whose rotate-by date is at or before {@code now}
     * @param expiringBefore only live keys whose expiry or rotate-by date is at or before this, or {@code null}
     * @param afterKeyId     only keys whose id sorts after this one, or {@code null}
     * @param now            the time statuses and dates are judged at
     * @throws NullPointerException if now is null
     */
    public KeyFilter {
        tenantIds = tenantIds == null ? null : Set.copyOf(tenantIds);
        Objects.requireNonNull(now, "now");
    }

    /**
     * {@return this filter for the page after the given key id}
     *
     * @param keyId the last key id of the page before
     */
    public KeyFilter after(String keyId) {
        return new KeyFilter(tenantIds, status, environment, owner, nameContains, unusedSince, rotateByPassed,
                expiringBefore, keyId, now);
    }

    /**
     * {@return whether a key passes every condition: the rule every store's query must agree with}
     *
     * @param key the stored key
     */
    public boolean matches(StoredKey key) {
        return (tenantIds == null || key.tenantId() != null && tenantIds.contains(key.tenantId()))
                && (status == null || status(key, now) == status)
                && (environment == null || key.attributes().environment().filter(environment::equals).isPresent())
                && (owner == null || key.attributes().owner().filter(owner::equals).isPresent())
                && (nameContains == null || key.attributes().name().toLowerCase(Locale.ROOT)
                        .contains(nameContains.toLowerCase(Locale.ROOT)))
                && (unusedSince == null || key.lastUsedAt() == null || key.lastUsedAt().isBefore(unusedSince))
                && (!rotateByPassed || key.attributes().rotateBy().filter(at -> !at.isAfter(now)).isPresent())
                && (expiringBefore == null || isExpiringBefore(key))
                && (afterKeyId == null || key.keyId().compareTo(afterKeyId) > 0);
    }

    private boolean isExpiringBefore(StoredKey key) {
        ApiKeyInfo.Status s = status(key, now);
        if (s == ApiKeyInfo.Status.REVOKED || s == ApiKeyInfo.Status.EXPIRED) {
            return false;
        }
        return key.expiresAt() != null && !key.expiresAt().isAfter(expiringBefore)
                || key.attributes().rotateBy().filter(at -> !at.isAfter(expiringBefore)).isPresent();
    }

    /**
     * {@return a key's status at a time: revoked, else expired, else disabled, else expiring (replaced, in its
     * overlap), else active}
     *
     * @param key the key
     * @param now the time
     */
    public static ApiKeyInfo.Status status(StoredKey key, Instant now) {
        if (key.revokedAt() != null) {
            return ApiKeyInfo.Status.REVOKED;
        }
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            return ApiKeyInfo.Status.EXPIRED;
        }
        if (key.disabledAt() != null) {
            return ApiKeyInfo.Status.DISABLED;
        }
        return key.replacedBy() == null ? ApiKeyInfo.Status.ACTIVE : ApiKeyInfo.Status.EXPIRING;
    }
}
