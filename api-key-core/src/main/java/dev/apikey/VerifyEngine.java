package dev.apikey;

import dev.apikey.internal.Bulkhead;
import dev.apikey.internal.Countries;
import dev.apikey.internal.KeyParser;
import dev.apikey.internal.ParsedKey;
import dev.apikey.internal.UnknownIdMeter;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.LegacyFormat;
import dev.apikey.model.ModelAccess;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.KeyDigestLookup;
import dev.apikey.spi.LegacyHash;
import dev.apikey.spi.Meter;
import dev.apikey.spi.VerifyObserver;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The verify path: the checks of {@link Check}, run in its order by {@link #check}, the first that fails deciding.
 * Its parts, each writing only its own fields: {@link SecretGate} (the stored-hash check and its guards),
 * {@link Callouts} (policy, rate limit, quota), {@link VerifyStats}, {@link VerifyEvents}, {@link KeyCache}.
 *
 * <p>Non-blocking mode ({@link ApiKeys#verifyNow(VerifyRequest)}) walks the same order and returns {@code null}
 * where a check {@linkplain Check#mayBlock() may block}, before anything is counted or spent, so that the blocking
 * verify run next answers as if the first had not happened. Thread-safe. Package-private.
 */
final class VerifyEngine {

    private static final ModelAccess MODEL = ModelAccess.forEngine();

    private static final Verification MISSING = MODEL.failed(Failure.MISSING_API_KEY, Check.HEADER);
    private static final Verification MALFORMED_REQUEST = MODEL.failed(Failure.MALFORMED_REQUEST, Check.HEADER);
    private static final Verification MALFORMED_KEY = MODEL.failed(Failure.MALFORMED_API_KEY, Check.FORMAT);
    private static final Verification WRONG_ENVIRONMENT =
            MODEL.failed(Failure.WRONG_ENVIRONMENT, Check.ENVIRONMENT);
    private static final Verification UNKNOWN_ID = MODEL.failed(Failure.INVALID_API_KEY, Check.KEY_EXISTS);
    private static final Verification REVOKED = MODEL.failed(Failure.REVOKED_API_KEY, Check.REVOKED);
    private static final Verification EXPIRED = MODEL.failed(Failure.EXPIRED_API_KEY, Check.EXPIRED);
    private static final Verification DISABLED = MODEL.failed(Failure.DISABLED_API_KEY, Check.DISABLED);
    private static final Verification IP_NOT_ALLOWED = MODEL.failed(Failure.IP_NOT_ALLOWED, Check.ADDRESS);
    private static final Verification COUNTRY_NOT_ALLOWED =
            MODEL.failed(Failure.COUNTRY_NOT_ALLOWED, Check.COUNTRY);
    private static final Verification TENANT_MISMATCH = MODEL.failed(Failure.TENANT_MISMATCH, Check.TENANT);
    private static final Verification TENANT_SUSPENDED =
            MODEL.failed(Failure.TENANT_SUSPENDED, Check.TENANT_ACTIVE);
    private static final Verification SCOPE_NOT_IN_PLAN = MODEL.failed(Failure.SCOPE_NOT_IN_PLAN, Check.PLAN);
    private static final Verification STORE_UNAVAILABLE =
            MODEL.retryLater(Failure.STORE_UNAVAILABLE, Check.KEY_EXISTS, Duration.ofSeconds(5));
    /** Another caller's load of the same id did not end within {@link KeyCache#SHARED_LOAD_WAIT}. */
    private static final Verification LOAD_OVERLOADED =
            MODEL.retryLater(Failure.OVERLOADED, Check.KEY_EXISTS, Duration.ofSeconds(1));

    private final KeyParser parser;
    private final ScopeCatalog catalog;
    /**
     * The refusal for lacking each scope, by bit, made when first needed and shared by every thread (immutable; two
     * threads that make one at once each get an equal one): a flood of them allocates nothing, whichever scopes a
     * thread's requests alternate between.
     */
    private final Verification[] scopeRefusals;
    private final Clock clock;
    private final KeyCache cache;
    private final SecretGate gate;
    private final Callouts callouts;
    private final VerifyStats stats;
    private final VerifyEvents events;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final UnknownIdMeter unknownIds;
    private final VerifyObserver observer;
    private final boolean allowUnknownCountry;
    /** Counts each outcome per key; {@code null} when counting is off. */
    private final UsageCounter usage;
    /** The declared legacy formats, tried only on a key our parser refused as malformed; empty for none. */
    private final LegacyFormat[] legacyFormats;
    private final LegacyIndex legacyIndex;

    /** What one thread reuses from one verify to the next; confined to its thread. */
    private static final class Scratch {
        final ParsedKey key = new ParsedKey();
        /** The scope the last verify asked for, and its bit: hosts pass the same constant again and again. */
        String scope;
        int scopeBit;
        /** While an observed verify runs: whether it read the store. */
        boolean missed;
        /** Where an entry's matched digest is put for the compare. */
        final byte[] expected = new byte[32];
        /** The entry of a key the store knows, once the verify found one: what its outcome is counted toward. */
        CachedKey counted;
        /** Where {@link VerifyEngine#loaded} puts the entry it found; read and cleared at once by the verify. */
        CachedKey loaded;
    }

    VerifyEngine(ApiKeysConfig config, KeyCache cache, Rehasher rehasher) {
        this.parser = new KeyParser(config.prefix());
        this.catalog = config.catalog();
        this.scopeRefusals = new Verification[catalog.scopes().size()];
        this.clock = config.clock();
        this.cache = cache;
        this.stats = new VerifyStats();
        this.events = new VerifyEvents(config, stats);
        this.gate = new SecretGate(config, cache, stats, events, rehasher);
        this.callouts = new Callouts(config, stats);
        this.observer = config.verifyObserver();
        this.allowUnknownCountry = config.allowUnknownCountry();
        this.unknownIds = new UnknownIdMeter(config.unknownIdsPerSource(), config.unknownIdsTotal());
        this.usage = cache.usage();
        this.legacyFormats = config.legacy().formats().toArray(LegacyFormat[]::new);
        this.legacyIndex = new LegacyIndex(config.store() instanceof KeyDigestLookup l ? l : null,
                config.cacheMaximumSize(), config.negativeCacheTtl().toMillis());
    }

    /**
     * Runs the checks in order.
     *
     * @param request     the request as the host gave it, for the access policy; {@code null} when the host used
     *                    the two-argument form (then built only if a policy needs it)
     * @param nonBlocking whether to return {@code null}, with nothing counted or spent, where a check would block
     * @return the outcome; {@code null} only when {@code nonBlocking}
     */
    Verification verify(String header, String requiredScope, String requiredTenant, String remoteAddress,
            VerifyRequest request, boolean nonBlocking) {
        Scratch scratch = this.scratch.get();
        if (observer == null) {
            return counted(scratch, check(scratch, header, requiredScope, requiredTenant, remoteAddress, request,
                    nonBlocking), remoteAddress, request);
        }
        scratch.missed = false;
        long start = System.nanoTime();
        Verification v = check(scratch, header, requiredScope, requiredTenant, remoteAddress, request, nonBlocking);
        if (v != null) {
            events.observed(observer, v, scratch.missed, System.nanoTime() - start);
        }
        return counted(scratch, v, remoteAddress, request);
    }

    /**
     * Counts an outcome toward the key the verify found, or the unknown series (the request for its country source,
     * asked only when the outcome's network is new to the key: {@link UsageCounter#count}); {@return the outcome}
     */
    private Verification counted(Scratch scratch, Verification v, String remoteAddress, VerifyRequest request) {
        CachedKey entry = scratch.counted;
        scratch.counted = null;
        if (usage != null && v != null) {
            usage.count(entry, v, remoteAddress, request);
        }
        return v;
    }

    /**
     * The checks, written out in {@link Check}'s order, each marked with its check: a loop over the enum with a switch
     * cost the hit 36-50 ns (docs/BENCHMARKS.md, "The checks written out"). {@code CheckOrderTest} sends requests
     * that fail two neighbouring checks at once and asserts that the earlier one decides.
     */
    private Verification check(Scratch scratch, String header, String requiredScope, String requiredTenant,
            String remoteAddress, VerifyRequest request, boolean nonBlocking) {
        scratch.counted = null;
        int scopeBit = scopeBit(scratch, requiredScope);
        ParsedKey key = scratch.key;
        try {
            // HEADER, FORMAT, ENVIRONMENT: decided by the parse.
            KeyParser.Outcome parsed = parser.parse(header, key);
            if (parsed != KeyParser.Outcome.OK) {
                Verification refusal = unparsed(parsed, scratch, key, remoteAddress, nonBlocking);
                if (refusal != null || !key.isLegacy()) {
                    return refusal;
                }
            }
            // KEY_EXISTS. The entry and its digest words are read before the clock and the digest are computed, so
            // that their cache misses overlap that work; whether the entry is fresh is checked after.
            byte[] expected = scratch.expected;
            long id = key.lookupId();
            CachedKey entry = cache.peek(id);
            boolean known = entry != null && entry.verifiedDigestInto(expected);
            long now = clock.millis();
            if (entry == null || entry.isStale(now)) {
                Verification refusal = loaded(scratch, key, id, entry != null && entry.exists(), remoteAddress,
                        nonBlocking, now);
                entry = scratch.loaded;
                if (entry == null) {
                    return refusal;
                }
                scratch.loaded = null;
                known = entry.verifiedDigestInto(expected);
            }
            if (!entry.exists()) {
                return events.refused(UNKNOWN_ID, key, remoteAddress);
            }
            scratch.counted = entry;
            // SECRET. The digest binds the secret to the key's tenant segment, so one compare checks both.
            byte[] digest = key.credentialDigest();
            if (known) {
                // Cheap to refuse, so not counted: the lock-out protects the stored-hash check only.
                if (!MessageDigest.isEqual(digest, expected)) {
                    return events.refused(SecretGate.WRONG_SECRET, key, remoteAddress);
                }
            } else {
                Verification refusal = gate.screen(entry, key, remoteAddress, now);
                if (refusal == null) {
                    if (nonBlocking) {
                        return null;
                    }
                    refusal = gate.check(entry, key, digest, expected, remoteAddress, now);
                }
                if (refusal != null) {
                    return events.refused(refusal, key, remoteAddress);
                }
            }
            // REVOKED, EXPIRED.
            if (entry.revoked) {
                return events.refused(REVOKED, key, remoteAddress);
            }
            if (now >= entry.expiresAtMillis) {
                return events.refused(EXPIRED, key, remoteAddress);
            }
            // DISABLED, TENANT_ACTIVE: one field, disabled (said first) or its tenant suspended.
            if (entry.off != CachedKey.ON) {
                return events.refused(entry.off == CachedKey.OFF_DISABLED ? DISABLED : TENANT_SUSPENDED, key,
                        remoteAddress);
            }
            // ADDRESS, COUNTRY. A plain key has no address or country list, limit or quota: none of those fields is
            // read; a key with allowances but no lists reads its allowances only.
            Meter.Prepared spend = null;
            if (!entry.plain) {
                spend = entry.spend;
                if (entry.listed) {
                    Verification refusal = listed(entry, remoteAddress, request);
                    if (refusal != null) {
                        return events.refused(refusal, key, remoteAddress);
                    }
                }
            }
            // TENANT.
            if (requiredTenant != null && !requiredTenant.equals(entry.tenantId)) {
                return events.refused(TENANT_MISMATCH, key, remoteAddress);
            }
            // SCOPE, PLAN: the entry holds only the scopes of its tenant's plan; a scope the key holds but the plan
            // does not include is refused as PLAN.
            if (scopeBit >= 0 && !entry.hasScope(scopeBit)) {
                // The principal holds the key's scopes before the plan: read on this refusal only.
                return events.refused(MODEL.heldOutsidePlan(entry.granted, requiredScope) ? SCOPE_NOT_IN_PLAN
                        : scopeRefusal(scopeBit, requiredScope), key, remoteAddress);
            }
            // POLICY. Whether a check may block is asked before the policy, the limit and the quota: nothing is
            // spent before a verify that returns null, and the blocking verify after it spends once.
            if (nonBlocking && callouts.mayBlock(spend != null)) {
                return null;
            }
            if (callouts.hasPolicy()) {
                Verification denied = callouts.policy(entry, header, requiredScope, requiredTenant, remoteAddress,
                        request, now);
                if (denied != null) {
                    return events.refused(denied, key, remoteAddress);
                }
            }
            // RATE_LIMIT, QUOTA: one spend from every allowance, the rate limits' and the quotas' alike, all or none;
            // the refusal names the check of the allowance that refused.
            if (spend != null) {
                Verification refused = callouts.spend(entry, spend, request == null ? 1 : request.cost(), now);
                if (refused != null) {
                    return events.refused(refused, key, remoteAddress);
                }
            }
            cache.used(entry, now);
            events.granted(entry, remoteAddress, now);
            return entry.granted;
        } finally {
            key.clear();
        }
    }

    /**
     * HEADER, FORMAT and ENVIRONMENT of a header the parser did not take as a key of ours: its refusal, or, for a key
     * a declared legacy format knows, {@code null} with the key {@linkplain ParsedKey#markLegacy marked} (then it is
     * checked as ours from here on, under the key id it was found by); {@code null} with the key unmarked where
     * {@code nonBlocking} must return {@code null}.
     */
    private Verification unparsed(KeyParser.Outcome parsed, Scratch scratch, ParsedKey key, String remoteAddress,
            boolean nonBlocking) {
        return switch (parsed) {
            case MISSING -> events.refused(MISSING, null, remoteAddress);
            case MALFORMED_REQUEST -> events.refused(MALFORMED_REQUEST, null, remoteAddress);
            // Without legacy formats this costs one field read.
            case MALFORMED_KEY -> legacyFormats.length == 0 ? events.refused(MALFORMED_KEY, null, remoteAddress)
                    : legacyKey(scratch, key, remoteAddress, nonBlocking);
            case WRONG_ENVIRONMENT -> events.refused(WRONG_ENVIRONMENT, null, remoteAddress);
            case OK -> throw new IllegalArgumentException("parsed must not be OK");
        };
    }

    /**
     * KEY_EXISTS for an id whose entry is missing or stale: the table's entry if another caller loaded it meanwhile,
     * else a load from the store (through the unknown-id meter for an id not known to exist). Puts the entry in
     * {@code scratch.loaded}; else leaves it {@code null} and returns the refusal, or {@code null} where
     * {@code nonBlocking} must return {@code null}.
     *
     * @param real whether the stale entry that was found is of a key that exists
     */
    private Verification loaded(Scratch scratch, ParsedKey key, long id, boolean real, String remoteAddress,
            boolean nonBlocking, long now) {
        CachedKey entry = cache.get(id, now);
        if (entry == null) {
            if (cache.loadFailedLately(id, now)) {
                return events.refused(STORE_UNAVAILABLE, key, remoteAddress);
            }
            if (nonBlocking) {
                return null;
            }
            // An id known to exist skips the meter; any other look-up takes its tokens first.
            long wait = real ? UnknownIdMeter.GO : unknownIds.beforeLookup(remoteAddress, now);
            if (wait > 0) {
                return lookupsSpent(wait, key, remoteAddress);
            }
            scratch.missed = true;
            try {
                entry = cache.load(id, now);
            } catch (RuntimeException e) {
                events.loadFailed(key, e, cache.loadFailures(), now);
                return events.refused(STORE_UNAVAILABLE, key, remoteAddress);
            }
            if (entry == null) {
                return events.refused(LOAD_OVERLOADED, key, remoteAddress);
            }
            if (!real && entry.exists()) {
                unknownIds.found(remoteAddress);
            }
        }
        scratch.loaded = entry;
        return null;
    }

    /**
     * {@return the refusal of a look-up of an id not known to exist, when the unknown-id meter has no token for it}
     *
     * @param wait milliseconds until it has one
     * @param key  the key, for the event's hint; {@code null} for a legacy key not yet found
     */
    private Verification lookupsSpent(long wait, ParsedKey key, String remoteAddress) {
        return events.refused(MODEL.retryLater(Failure.TOO_MANY_FAILED_ATTEMPTS, Check.KEY_EXISTS,
                Duration.ofSeconds(Math.max(1, (wait + 999) / 1000))), key, remoteAddress);
    }

    /**
     * ADDRESS, then COUNTRY, of a key (or tenant) with an address or country list: {@return the refusal, or
     * {@code null}} Only a key with a country list asks the request's resolver, once.
     */
    private Verification listed(CachedKey entry, String remoteAddress, VerifyRequest request) {
        if (entry.allowedAddresses != null && !entry.allowedAddresses.contains(remoteAddress)) {
            return IP_NOT_ALLOWED;
        }
        if (entry.allowedCountries != null) {
            String country = countryOf(request);
            if (country == null ? !allowUnknownCountry : !entry.allowedCountries.contains(country)) {
                return COUNTRY_NOT_ALLOWED;
            }
        }
        return null;
    }

    /**
     * The legacy branch, reached only from a key our parser refused as malformed: the first declared format that
     * matches it (one scan each, length first), then its key id by a digest through {@link LegacyIndex}. One digest
     * and one look-up (cached by digest) turn a legacy key into a key id of ours; from there on it is checked as ours
     * are. A digest the store does not know is refused as an unknown id of ours is: the same meter, the same one store
     * read, the same answer.
     *
     * @return the refusal; else {@code null} with the key {@linkplain ParsedKey#markLegacy marked} with its key id,
     *         or {@code null} with it unmarked where {@code nonBlocking} must return {@code null}
     */
    private Verification legacyKey(Scratch scratch, ParsedKey key, String remoteAddress, boolean nonBlocking) {
        int from = key.locateKey();
        LegacyFormat format = null;
        for (LegacyFormat f : legacyFormats) {
            if (f.matches(key.held(), from, key.heldLength())) {
                format = f;
                break;
            }
        }
        if (format == null) {
            return events.refused(MALFORMED_KEY, null, remoteAddress);
        }
        boolean byDigest = format.lookup() == LegacyFormat.Lookup.DIGEST;
        String digest = byDigest ? HexFormat.of().formatHex(key.legacyDigest())
                : LegacyHash.idDigest(key.keyPart(format.idStart(), format.idLength()));
        long now = clock.millis();
        long id = legacyIndex.get(digest, now);
        if (id == LegacyIndex.ASK) {
            if (nonBlocking) {
                return null;
            }
            long wait = unknownIds.beforeLookup(remoteAddress, now);
            if (wait > 0) {
                return lookupsSpent(wait, null, remoteAddress);
            }
            scratch.missed = true;
            try {
                id = legacyIndex.load(digest, now);
            } catch (RuntimeException e) {
                events.legacyLoadFailed(format.name(), e, now);
                return events.refused(STORE_UNAVAILABLE, null, remoteAddress);
            }
            if (id >= 0) {
                unknownIds.found(remoteAddress);
            }
        }
        if (id < 0) {
            return events.refused(UNKNOWN_ID, null, remoteAddress);
        }
        // A digest format's look-up digested the whole key already: the secret check reuses it (one digest a key).
        key.markLegacy(id, byDigest);
        return null;
    }

    /**
     * Asks the request's country resolver, once: an upper-case ISO 3166-1 alpha-2 code, or {@code null} if unknown (no
     * resolver, it answered something else, or it threw: the host's setting for unknown countries decides). Also what
     * {@link UsageCounter} asks when a key's network is new.
     */
    static String countryOf(VerifyRequest request) {
        java.util.function.Supplier<String> source = MODEL.countrySourceOrNull(request);
        if (source == null) {
            return null;
        }
        try {
            return Countries.normalize(source.get());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The refusal for lacking the required scope, whose bit is {@code bit}: made once per scope. */
    private Verification scopeRefusal(int bit, String requiredScope) {
        Verification refusal = scopeRefusals[bit];
        if (refusal == null) {
            refusal = Verification.insufficientScope(requiredScope);
            scopeRefusals[bit] = refusal;
        }
        return refusal;
    }

    /** The bit of the required scope, or -1 for none; an undeclared scope is a host bug, thrown. */
    private int scopeBit(Scratch scratch, String requiredScope) {
        if (requiredScope == null) {
            return -1;
        }
        if (requiredScope == scratch.scope) {
            return scratch.scopeBit;
        }
        int bit = MODEL.bitOf(catalog, requiredScope);
        if (bit < 0) {
            throw new IllegalArgumentException("requiredScope '" + requiredScope
                    + "' is not declared in the scope catalog");
        }
        scratch.scope = requiredScope;
        scratch.scopeBit = bit;
        return bit;
    }

    VerifyStats stats() {
        return stats;
    }

    Bulkhead bulkhead() {
        return gate.bulkhead();
    }
}
