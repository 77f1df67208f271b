package dev.apikey.parity;

import static dev.apikey.parity.ParityCase.Prepared.of;

import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.parity.ParityCase.Prepared;
import java.time.Duration;
import java.util.List;

/**
 * The table: every built-in failure code (at least one case each; {@code AdapterParityTest} fails when
 * {@link Failure#builtIns()} has a code no case expects) and the granted path, in both header forms.
 */
final class ParityCases {

    private ParityCases() {
    }

    /** The case of a key of a declared legacy format (issue 29): granted, with the rotation notice over HTTP. */
    static final String LEGACY = "granted (a legacy key)";

    static final List<ParityCase> ALL = List.of(
            new ParityCase("granted (X-Api-Key)", null, f -> {
                Fixture.Key k = f.key();
                return new Prepared(Ask.events(k.plaintext()), k.keyId());
            }),
            new ParityCase("granted (Authorization: Bearer)", null, f -> {
                Fixture.Key k = f.key();
                return new Prepared(Ask.get("/api/v1/events", "Authorization: Bearer " + k.plaintext()), k.keyId());
            }),
            new ParityCase("granted (the same key in both headers)", null, f -> {
                Fixture.Key k = f.key();
                return new Prepared(Ask.get("/api/v1/events", "X-Api-Key: " + k.plaintext(),
                        "Authorization: Bearer " + k.plaintext()), k.keyId());
            }),
            new ParityCase(LEGACY, null, f -> {
                Fixture.Key k = f.legacyKey();
                return new Prepared(Ask.events(k.plaintext()), k.keyId());
            }),
            new ParityCase("missing key", Failure.MISSING_API_KEY, f -> of(Ask.get("/api/v1/events"))),
            new ParityCase("repeated X-Api-Key", Failure.MALFORMED_REQUEST, f -> {
                String k = f.key().plaintext();
                return of(Ask.get("/api/v1/events", "X-Api-Key: " + k, "X-Api-Key: " + k));
            }).detail("The X-Api-Key header appears more than once; send it once.",
                    "The x-api-key metadata appears more than once; send it once."),
            new ParityCase("two different keys (X-Api-Key and Bearer)", Failure.MALFORMED_REQUEST, f -> of(
                    Ask.get("/api/v1/events", "X-Api-Key: " + f.key().plaintext(),
                            "Authorization: Bearer " + f.key().plaintext())))
                    .detail("The request carries both X-Api-Key and Authorization with different values; send the "
                            + "key in one of them.", "The call carries both x-api-key and authorization with "
                            + "different values; send the key in one of them."),
            new ParityCase("Bearer in X-Api-Key", Failure.MALFORMED_REQUEST, f -> of(
                    Ask.get("/api/v1/events", "X-Api-Key: Bearer " + f.key().plaintext())))
                    .detail("X-Api-Key takes the key alone, without 'Bearer'.",
                            "x-api-key takes the key alone, without 'Bearer'."),
            new ParityCase("Authorization of another scheme", Failure.MALFORMED_REQUEST, f -> of(
                    Ask.get("/api/v1/events", "Authorization: Basic dXNlcjpwYXNz")))
                    .detail("The Authorization header must be 'Bearer <key>'.",
                            "The authorization metadata must be 'Bearer <key>'."),
            new ParityCase("malformed key", Failure.MALFORMED_API_KEY, f -> of(Ask.events("wlcro_92_nonsense"))),
            new ParityCase("malformed key (Bearer)", Failure.MALFORMED_API_KEY, f -> of(
                    Ask.get("/api/v1/events", "Authorization: Bearer wlcro_92_nonsense"))),
            new ParityCase("another environment's prefix", Failure.WRONG_ENVIRONMENT,
                    f -> of(Ask.events(f.otherEnvironmentKey()))),
            new ParityCase("wrong secret", Failure.INVALID_API_KEY, f -> of(
                    Ask.events(Fixture.withSecret(f.key().plaintext(), "x".repeat(32))))),
            new ParityCase("unknown key id", Failure.INVALID_API_KEY, f -> {
                // A real key with its id replaced by one no key has, checksum made right: well-formed, unknown.
                String k = f.key().plaintext();
                int token = k.length() - KeyFormat.TOKEN_LENGTH;
                String body = k.substring(0, token) + "Z".repeat(KeyFormat.KEY_ID_LENGTH)
                        + k.substring(token + KeyFormat.KEY_ID_LENGTH, k.length() - KeyFormat.CHECKSUM_LENGTH);
                return of(Ask.events(body + KeyFormat.checksum(body)));
            }),
            new ParityCase("wrong secret (Bearer)", Failure.INVALID_API_KEY, f -> of(Ask.get("/api/v1/events",
                    "Authorization: Bearer " + Fixture.withSecret(f.key().plaintext(), "x".repeat(32))))),
            new ParityCase("revoked key", Failure.REVOKED_API_KEY, f -> {
                Fixture.Key k = f.key();
                f.apiKeys.revoke(k.keyId());
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("expired key", Failure.EXPIRED_API_KEY, f -> {
                Fixture.Key k = f.key(b -> b.expiresAt(f.now().plus(Duration.ofMinutes(1))));
                f.advance(Duration.ofMinutes(1));
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("disabled key", Failure.DISABLED_API_KEY, f -> {
                Fixture.Key k = f.key();
                f.apiKeys.disable(k.keyId());
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("tenant suspended", Failure.TENANT_SUSPENDED, f -> {
                String tenant = Fixture.freshTenant();
                Fixture.Key k = f.key(b -> b.tenantId(tenant));
                f.apiKeys.tenants().suspend(tenant);
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("scope not in the tenant's plan", Failure.SCOPE_NOT_IN_PLAN, f -> {
                String tenant = Fixture.freshTenant();
                Fixture.Key k = f.key(b -> b.tenantId(tenant));
                f.apiKeys.tenants().setPlanScopes(tenant, List.of("events:write"));
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("another tenant's resource", Failure.TENANT_MISMATCH, f -> of(Ask.get(
                    "/api/v1/tenants/" + Fixture.OTHER_TENANT + "/events", "X-Api-Key: " + f.key().plaintext()))),
            new ParityCase("missing scope", Failure.INSUFFICIENT_SCOPE, f -> of(
                    Ask.post("/api/v1/events/test", "X-Api-Key: " + f.key().plaintext())))
                    .detail("The key lacks the scope 'events:write' that this operation requires."),
            new ParityCase("address not allowed", Failure.IP_NOT_ALLOWED, f -> of(Ask.events(
                    f.key(b -> b.allowedAddresses("203.0.113.0/24")).plaintext()))),
            // No adapter is given a country resolver: the country is unknown, which a key with a list refuses.
            new ParityCase("country not allowed (unknown)", Failure.COUNTRY_NOT_ALLOWED, f -> of(Ask.events(
                    f.key(b -> b.allowedCountries("DE")).plaintext()))),
            new ParityCase("rate limited", Failure.RATE_LIMITED, f -> {
                Fixture.Key k = f.key(b -> b.rateLimit(RateLimit.perMinute(1)));
                f.spend(k);
                return of(Ask.events(k.plaintext()));
            }).detail("This key's rate limit 'per-minute' (1 per 60 s) is used up for now."),
            new ParityCase("quota exceeded", Failure.QUOTA_EXCEEDED, f -> {
                Fixture.Key k = f.key(b -> b.quota(Quota.perDay(1)));
                f.spend(k);
                return of(Ask.events(k.plaintext()));
            }).detail("This key has used its quota 'daily' of 1 calls a day; the count starts again at "
                    + "2026-12-04T00:00:00Z."),
            new ParityCase("too many failed attempts", Failure.TOO_MANY_FAILED_ATTEMPTS, f -> {
                Fixture.Key k = f.key();
                f.throttle(k);
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("store unavailable", Failure.STORE_UNAVAILABLE, f -> {
                Fixture.Key k = f.key();
                f.storeDownFor(k.keyId());
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("rate limiter unavailable", Failure.RATE_LIMIT_UNAVAILABLE, f -> of(Ask.events(f.key(
                    b -> b.rateLimit(RateLimit.perMinute(100).named(Fixture.METER_DOWN))).plaintext()))),
            new ParityCase("quota meter unavailable", Failure.QUOTA_UNAVAILABLE, f -> of(Ask.events(f.key(
                    b -> b.quota(Quota.perDay(100).named(Fixture.METER_DOWN))).plaintext()))),
            new ParityCase("access policy throws", Failure.POLICY_UNAVAILABLE, f -> of(Ask.events(f.key(
                    b -> b.metadata("policy", "throw")).plaintext()))),
            new ParityCase("overloaded (the hash slot held)", Failure.OVERLOADED, f -> {
                Fixture.Key k = f.key();
                f.holdTheHashSlot();
                return of(Ask.events(k.plaintext()));
            }),
            new ParityCase("key in the URL", Failure.API_KEY_IN_URL, f -> of(
                    Ask.get("/api/v1/events?api_key=" + f.key().plaintext()))),
            new ParityCase("non-canonical path", Failure.NON_CANONICAL_PATH, f -> of(
                    Ask.get("/api/v1/events%20x", "X-Api-Key: " + f.key().plaintext()))));
}
