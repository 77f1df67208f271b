package dev.apikey;

import dev.apikey.model.Actor;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyLimitReachedException;
import dev.apikey.model.OwnKeyException;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.ScopeNotGrantableException;
import dev.apikey.model.ScopeNotInPlanException;
import dev.apikey.model.StaleVersionException;
import dev.apikey.model.Tenant;
import dev.apikey.model.TooManyCreatesException;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import dev.apikey.spi.StoredKey;
import dev.apikey.spi.TenantStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of who may change what, decided in the core for every caller: no actor grants scopes beyond its
 * {@link dev.apikey.model.GrantCeiling}, none raises its own key, a change based on an old version is refused, a
 * tenant holds at most its cap of live keys (its record's, else the builder's) and no key with a scope beyond its plan,
 * and an actor creates at most so many keys a minute.
 *
 * <p>Thread-safe. Package-private: {@link KeyLifecycle} applies it.
 */
final class KeyGuardrails {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.lifecycle");
    /** Any version: no precondition. */
    static final long ANY_VERSION = 0;
    /** The name of the creates allowance, under its own subject per actor. */
    private static final String CREATES = "creates";

    private final KeyStore store;
    private final ScopeCatalog catalog;
    private final Meter meter;
    private final int maxLiveKeys;
    private final int createsPerMinute;
    private final RateLimit createRate;

    KeyGuardrails(ApiKeysConfig config) {
        this.store = config.store();
        this.catalog = config.catalog();
        this.meter = config.meter();
        this.maxLiveKeys = config.maxLiveKeysPerTenant();
        this.createsPerMinute = config.createsPerMinute();
        this.createRate = RateLimit.perMinute(createsPerMinute).named(CREATES);
    }

    /** Refuses scopes beyond the actor's ceiling, naming them. */
    void requireGrantable(Actor actor, Collection<String> scopes) {
        Set<String> over = actor.ceiling().beyond(catalog, scopes);
        if (!over.isEmpty()) {
            throw new ScopeNotGrantableException(over, "may not grant");
        }
    }

    /**
     * Refuses an edit, rotation or enable of a key holding scopes beyond the actor's ceiling (it would lift or hand
     * out what the actor could not grant), and an edit or enable of the actor's own key.
     */
    void requireManageable(Actor actor, StoredKey key, String action, boolean ownKeyAllowed) {
        if (!ownKeyAllowed && key.keyId().equals(actor.keyId())) {
            throw new OwnKeyException(key.keyId(), action);
        }
        Set<String> over = actor.ceiling().beyond(catalog, key.attributes().scopes());
        if (!over.isEmpty()) {
            throw new ScopeNotGrantableException(over, "key " + key.keyId() + " holds");
        }
    }

    /** Refuses an expiry (null: never) after the actor's own: no key caller mints keys that outlive it. */
    static void requireLifetime(Actor actor, Instant expiresAt) {
        Instant bound = actor.notAfter();
        if (bound != null && (expiresAt == null || expiresAt.isAfter(bound))) {
            throw new dev.apikey.model.ExpiryBeyondCallerException(expiresAt, bound);
        }
    }

    /** Refuses a change based on another version than the stored one. */
    static void requireVersion(StoredKey key, long expected) {
        if (expected != ANY_VERSION && key.version() != expected) {
            throw new StaleVersionException(key.keyId(), expected, key.version());
        }
    }

    /**
     * Spends one create from the actor's allowance on the shared meter. A meter that fails lets the create pass (a
     * guardrail, not the gate: the ceiling and the cap still hold), with a warning.
     */
    void spendCreate(Actor actor, Instant now) {
        Metered metered = new Metered("creates:" + subject(actor.name()), createRate);
        Spend spend;
        try {
            spend = meter.spend(List.of(metered), 1, now.toEpochMilli());
        } catch (RuntimeException e) {
            LOG.warn("creates meter failed, letting the create by {} pass: {}", actor.name(), e.toString());
            return;
        }
        if (!spend.granted()) {
            throw new TooManyCreatesException(createsPerMinute, Duration.ofMillis(spend.retryAfterMillis()));
        }
    }

    /** The tenant's record, read from the store now (a management path: never a cached copy); {@code null} if none. */
    private Tenant record(String tenantId) {
        return tenantId != null && store instanceof TenantStore t ? t.findTenant(tenantId).orElse(null) : null;
    }

    /**
     * Refuses scopes a key of the tenant would hold beyond its plan, naming them (implications applied: a plan with
     * {@code events:*} includes {@code events:read}); a tenant without a record or plan has no such limit.
     */
    void requireInPlan(String tenantId, Collection<String> scopes) {
        Tenant tenant = record(tenantId);
        if (tenant != null && !tenant.planScopes().isEmpty()) {
            Set<String> outside = catalog.beyond(tenant.planScopes(), scopes);
            if (!outside.isEmpty()) {
                throw new ScopeNotInPlanException(tenantId, outside);
            }
        }
    }

    /** {@return the tenant's cap of live keys: its record's, else the builder's} */
    int capOf(String tenantId) {
        Tenant tenant = record(tenantId);
        return tenant != null && tenant.maxLiveKeys() > 0 ? tenant.maxLiveKeys() : maxLiveKeys;
    }

    /** Refuses a create when the tenant holds its cap of live keys already. */
    void requireRoom(String tenantId, Instant now) {
        if (tenantId == null) {
            return;
        }
        int cap = capOf(tenantId);
        if (liveKeys(tenantId, now, cap) >= cap) {
            throw new KeyLimitReachedException(tenantId, cap);
        }
    }

    /**
     * Refuses a create that took a tenant over its cap, counted after the create's write: instances racing for the
     * last place each count after their own write, so the last of them to count sees every other's key and takes its
     * own back. The cap is never exceeded for long; a race may refuse both.
     *
     * @param backOut takes the created key back, before the refusal is thrown
     */
    void requireNotOverCap(String tenantId, Instant now, Runnable backOut) {
        if (tenantId == null) {
            return;
        }
        int cap = capOf(tenantId);
        if (liveKeys(tenantId, now, cap) > cap) {
            backOut.run();
            throw new KeyLimitReachedException(tenantId, cap);
        }
    }

    /** {@return how many more live keys the tenant may hold now: its cap less its live keys, at least 0} (imports) */
    int room(String tenantId, Instant now) {
        int cap = capOf(tenantId);
        return Math.max(0, cap - liveKeys(tenantId, now, cap));
    }

    /** The tenant's active and disabled keys, counted up to one past the cap. */
    private int liveKeys(String tenantId, Instant now, int cap) {
        int n = 0;
        for (ApiKeyInfo.Status status : List.of(ApiKeyInfo.Status.ACTIVE, ApiKeyInfo.Status.DISABLED)) {
            n += store.findPage(new KeyFilter(Set.of(tenantId), status, null, null, null, null, false, null, null, now),
                    cap + 1 - n).size();
            if (n > cap) {
                break;
            }
        }
        return n;
    }

    /** The actor's name as a meter subject: hashed, so any name fits the subject's characters and length. */
    private static String subject(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
