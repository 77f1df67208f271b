package dev.apikey.spi;

import dev.apikey.model.ApiKeyInfo;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which keys {@link KeyStore#findPage} reads: every condition that is set must hold. {@code ApiKeys.listPage}
 * builds it from a {@code KeyQuery}; a store turns it into its own query (SQL's {@code WHERE}) and {@link #matches}
 * is the reference every store must agree with, and {@link #order} the order a page is cut in.
 *
 * <p>The order: by the {@link Sort} column, ascending or descending, then by key id in the same direction (byte
 * order); a key without the value (never used, never expires) comes <em>last in both directions</em>. The keyset
 * cursor is the last row's sort value and key id: a page is the keys after it in that order, so pages stay stable
 * while keys are added, and each is one indexed query.
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
 * @param sort           the column the page is sorted by
 * @param descending     whether the sort is descending (key ids too); never-set values are last either way
 * @param afterValue     with {@code afterKeyId}: the last row's sort value ({@link #sortValue}), a {@link String}
 *                       for {@link Sort#NAME}, an {@link Instant} for the dates, {@code null} if that row had none
 *                       (or for {@link Sort#KEY_ID})
 */
public record KeyFilter(Set<String> tenantIds, ApiKeyInfo.Status status, String environment, String owner,
        String nameContains, Instant unusedSince, boolean rotateByPassed, Instant expiringBefore, String afterKeyId,
        Instant now, Sort sort, boolean descending, Object afterValue) {

    /** What a page is sorted by; each then by key id. */
    public enum Sort {
        /** The key id alone (byte order). */
        KEY_ID,
        /** The name, exactly (code unit order, case-sensitive: {@code B} before {@code a}). */
        NAME,
        /** The creation time. */
        CREATED,
        /** The last use, as the store holds it; never-used keys last. */
        LAST_USED,
        /** The expiry; keys that never expire last. */
        EXPIRES
    }

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
     * @param sort           the column the page is sorted by
     * @param descending     whether the sort is descending
     * @param afterValue     the last row's sort value, or {@code null}
     * @throws NullPointerException     if now or sort is null
     * @throws IllegalArgumentException if afterValue is not of the sort's type, or set without afterKeyId
     */
    public KeyFilter {
        tenantIds = tenantIds == null ? null : Set.copyOf(tenantIds);
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(sort, "sort");
        if (afterValue != null) {
            Class<?> type = sort == Sort.NAME ? String.class : Instant.class;
            if (sort == Sort.KEY_ID || afterKeyId == null || !type.isInstance(afterValue)) {
                throw new IllegalArgumentException("afterValue must be the " + sort + " value of the key afterKeyId");
            }
        }
    }

    /**
     * A filter in key id order (ascending), as before sorting was added.
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
     */
    public KeyFilter(Set<String> tenantIds, ApiKeyInfo.Status status, String environment, String owner,
            String nameContains, Instant unusedSince, boolean rotateByPassed, Instant expiringBefore,
            String afterKeyId, Instant now) {
        this(tenantIds, status, environment, owner, nameContains, unusedSince, rotateByPassed, expiringBefore,
                afterKeyId, now, Sort.KEY_ID, false, null);
    }

    /**
     * {@return this filter in another order, from the first page}
     *
     * @param by         the column
     * @param descending whether descending
     */
    public KeyFilter sorted(Sort by, boolean descending) {
        return new KeyFilter(tenantIds, status, environment, owner, nameContains, unusedSince, rotateByPassed,
                expiringBefore, null, now, by, descending, null);
    }

    /**
     * {@return this filter for the page after the given key: its sort value and id are the cursor}
     *
     * @param last the last key of the page before
     */
    public KeyFilter after(StoredKey last) {
        return new KeyFilter(tenantIds, status, environment, owner, nameContains, unusedSince, rotateByPassed,
                expiringBefore, last.keyId(), now, sort, descending, sortValue(last));
    }

    /**
     * {@return this filter for the page after the given key id}
     *
     * @param keyId the last key id of the page before
     */
    public KeyFilter after(String keyId) {
        if (sort != Sort.KEY_ID) {
            throw new IllegalStateException("a page sorted by " + sort + " continues after a key, not a key id");
        }
        return new KeyFilter(tenantIds, status, environment, owner, nameContains, unusedSince, rotateByPassed,
                expiringBefore, keyId, now, sort, descending, null);
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
                && (afterKeyId == null || compare(sortValue(key), key.keyId(), afterValue, afterKeyId) > 0);
    }

    /** {@return the order of a page: {@link #sort}, then key id, in {@link #descending}'s direction, nulls last} */
    public Comparator<StoredKey> order() {
        return (a, b) -> compare(sortValue(a), a.keyId(), sortValue(b), b.keyId());
    }

    /**
     * {@return a key's value of this filter's sort column, or {@code null} if it has none (or the sort is by id)}
     *
     * @param key the key
     */
    public Object sortValue(StoredKey key) {
        return switch (sort) {
            case KEY_ID -> null;
            case NAME -> key.attributes().name();
            case CREATED -> key.createdAt();
            case LAST_USED -> key.lastUsedAt();
            case EXPIRES -> key.expiresAt();
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int compare(Object value, String keyId, Object otherValue, String otherKeyId) {
        int c;
        if (value == null || otherValue == null) {
            // A missing value is last in both directions: not flipped by descending.
            c = value == null ? (otherValue == null ? 0 : 1) : -1;
            if (c != 0) {
                return c;
            }
        } else {
            c = ((Comparable) value).compareTo(otherValue);
        }
        if (c == 0) {
            c = keyId.compareTo(otherKeyId);
        }
        return descending ? -c : c;
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
