package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import dev.apikey.model.Verification;
import dev.apikey.spi.LegacyHash;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Legacy keys on the verify path: recognised by a declared format only where our parser refuses the text as
 * malformed, found by a digest, then checked like ours. Hashes come from independent tools: {@code sha256sum},
 * Debian's {@code argon2}, Python's {@code hashlib}.
 */
class LegacyVerifyTest {

    private static final String HEX = "0123456789abcdef";
    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** {@code printf %s sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8 | sha256sum}. */
    private static final String DIGEST_KEY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8";
    private static final String SHA256SUM = "490adf8c2f9e4a6a718459640971746b05f938a37fdd4c667db689ac382981a2";
    /** {@code printf %s ak_7Hq2LmP9xR4tW8zB3nV6cY1dF5gJ0kS | argon2 legacysalt-0001 -id -t 2 -m 12 -p 1 -e}. */
    private static final String ARGON_KEY = "ak_7Hq2LmP9xR4tW8zB3nV6cY1dF5gJ0kS";
    private static final String ARGON2 =
            "$argon2id$v=19$m=4096,t=2,p=1$bGVnYWN5c2FsdC0wMDAx$HmN80fKPcg33N3Sh5mLTYY8nAgvXTGLFcM/Bds01d+E";
    /** {@code hashlib.pbkdf2_hmac('sha256', b'pb_Q1w2E3r4T5y6U7i8O9p0AsDfGhJk', b'pbkdf2-salt-4567', 1000, 32)}. */
    private static final String PBKDF2_KEY = "pb_Q1w2E3r4T5y6U7i8O9p0AsDfGhJk";
    private static final String PBKDF2 =
            "$pbkdf2-sha256$i=1000,l=32$cGJrZGYyLXNhbHQtNDU2Nw$Hcanqk6t2/RNtcLN0CUdvnTiUbNQCYEz+GNULEd/iFc";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("acme").store(store).scopes(TestKeys.SCOPES).clock(clock)
            .legacyFormat(LegacyFormat.digest("hand-written").prefix("sk_live_").length(40, 40).alphabet(HEX).build())
            .legacyFormat(LegacyFormat.idPart("gateway", 3, 8).prefix("ak_").length(34, 34).alphabet(B62).build())
            .legacyFormat(LegacyFormat.idPart("pb", 3, 6).prefix("pb_").length(31, 31).alphabet(B62).build())
            .build();

    private ApiKeyInfo importDigest(KeySpec.Builder spec) {
        return apiKeys.legacy().importKey(spec.build(), LegacyHash.sha256Hex(SHA256SUM));
    }

    private static KeySpec.Builder spec() {
        return KeySpec.builder("crm").tenantId("92").scopes("events:read");
    }

    @Test
    void aHandWrittenDigestKeyIsGrantedWithItsAttributesAndTheRotationNotice() {
        Instant rotateBy = Instant.parse("2030-06-01T00:00:00Z");
        ApiKeyInfo info = importDigest(spec().rotateBy(rotateBy));
        for (String header : new String[] {DIGEST_KEY, "Bearer " + DIGEST_KEY, " " + DIGEST_KEY + " "}) {
            Verification v = apiKeys.verify(header, "events:read");
            assertThat(v.isGranted()).as(header).isTrue();
            ApiKeyPrincipal p = v.principal().orElseThrow();
            assertThat(p.keyId()).isEqualTo(info.keyId());
            assertThat(p.tenantId()).contains("92");
            assertThat(p.legacy()).isTrue();
            assertThat(p.rotationNotice()).contains("legacy key; rotate by 2030-06-01T00:00:00Z");
            assertThat(p.toString()).doesNotContain(DIGEST_KEY);
        }
        assertThat(apiKeys.verify(DIGEST_KEY, "events:write").failure()).contains(Failure.INSUFFICIENT_SCOPE);
        assertThat(apiKeys.verify(dev.apikey.model.VerifyRequest.header(DIGEST_KEY).scope("events:read").tenantId("91")).failure()).contains(Failure.TENANT_MISMATCH);
    }

    @Test
    void ourOwnKeysCarryNoNotice() {
        String ours = apiKeys.create(spec().build()).plaintext();
        ApiKeyPrincipal p = apiKeys.verify(ours, "events:read").principal().orElseThrow();
        assertThat(p.legacy()).isFalse();
        assertThat(p.rotationNotice()).isEmpty();
    }

    @Test
    void anUnknownLegacyKeyIsAnsweredAsAnUnknownIdOfOursIs() {
        String unknownLegacy = "sk_live_" + "0".repeat(32);
        String unknownOurs = TestKeys.withChecksum("acme_92_" + "ZZZZZZZZ" + "a".repeat(32));
        Verification legacy = apiKeys.verify(unknownLegacy, "events:read");
        Verification ours = apiKeys.verify(unknownOurs, "events:read");
        assertThat(legacy.failure()).contains(Failure.INVALID_API_KEY).isEqualTo(ours.failure());
        assertThat(legacy.failedCheck()).contains(Check.KEY_EXISTS).isEqualTo(ours.failedCheck());
        assertThat(apiKeys.verify(unknownLegacy, "events:read").failure()).contains(Failure.INVALID_API_KEY);
    }

    @Test
    void textNoFormatMatchesIsStillMalformed() {
        importDigest(spec());
        assertThat(apiKeys.verify(DIGEST_KEY + "0", "events:read").failure()).contains(Failure.MALFORMED_API_KEY);
        assertThat(apiKeys.verify(DIGEST_KEY.toUpperCase(java.util.Locale.ROOT), "events:read").failure())
                .contains(Failure.MALFORMED_API_KEY);
        assertThat(apiKeys.verify("sk_test_" + DIGEST_KEY.substring(8), "events:read").failure())
                .contains(Failure.MALFORMED_API_KEY);
    }

    @Test
    void saltedArgon2idAndPbkdf2KeysAreFoundByTheirIdPartAndCheckedByTheirHash() {
        ApiKeyInfo argon = apiKeys.legacy().importKey(spec().build(), LegacyHash.salted("7Hq2LmP9", ARGON2));
        ApiKeyInfo pbkdf2 = apiKeys.legacy().importKey(spec().build(), LegacyHash.salted("Q1w2E3", PBKDF2));
        assertThat(apiKeys.verify(ARGON_KEY, "events:read").principal().orElseThrow().keyId())
                .isEqualTo(argon.keyId());
        assertThat(apiKeys.verify(PBKDF2_KEY, "events:read").principal().orElseThrow().keyId())
                .isEqualTo(pbkdf2.keyId());
        // Again, from the verified digest this time.
        assertThat(apiKeys.verify(ARGON_KEY, "events:read").isGranted()).isTrue();
        String wrongSecret = ARGON_KEY.substring(0, 33) + "T";
        Verification wrong = apiKeys.verify(wrongSecret, "events:read");
        assertThat(wrong.failure()).contains(Failure.INVALID_API_KEY);
        assertThat(wrong.failedCheck()).contains(Check.SECRET);
    }

    @Test
    void aLegacyKeyIsRevokedDisabledAndExpiredLikeOurs() {
        ApiKeyInfo info = importDigest(spec().expiresAt(clock.instant().plus(Duration.ofDays(2))));
        assertThat(apiKeys.verify(DIGEST_KEY, "events:read").isGranted()).isTrue();
        apiKeys.disable(info.keyId());
        assertThat(apiKeys.verify(DIGEST_KEY, "events:read").failure()).contains(Failure.DISABLED_API_KEY);
        apiKeys.enable(info.keyId());
        clock.advance(Duration.ofDays(3));
        assertThat(apiKeys.verify(DIGEST_KEY, "events:read").failure()).contains(Failure.EXPIRED_API_KEY);
        ApiKeyInfo other = apiKeys.legacy().importKey(spec().build(), LegacyHash.salted("Q1w2E3", PBKDF2));
        apiKeys.revoke(other.keyId());
        assertThat(apiKeys.verify(PBKDF2_KEY, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
    }

    @Test
    void rotatingALegacyKeyIssuesOneOfOurFormatAndStartsTheOverlap() {
        ApiKeyInfo old = importDigest(spec().rotateBy(Instant.parse("2030-06-01T00:00:00Z")));
        IssuedKey next = apiKeys.rotate(old.keyId(), Duration.ofDays(7));
        assertThat(next.plaintext()).startsWith("acme_92_");
        assertThat(next.info().legacy()).isFalse();
        assertThat(next.info().attributes().rotateBy()).isEmpty();
        assertThat(apiKeys.get(old.keyId()).orElseThrow().status()).isEqualTo(ApiKeyInfo.Status.EXPIRING);
        Verification newKey = apiKeys.verify(next.plaintext(), "events:read");
        assertThat(newKey.isGranted()).isTrue();
        assertThat(newKey.principal().orElseThrow().rotationNotice()).isEmpty();
        assertThat(apiKeys.verify(DIGEST_KEY, "events:read").isGranted()).isTrue();
        clock.advance(Duration.ofDays(8));
        assertThat(apiKeys.verify(DIGEST_KEY, "events:read").failure()).contains(Failure.EXPIRED_API_KEY);
    }

    @Test
    void aKeyOfOurFormatNeverVerifiesAgainstALegacyKeysRecord() {
        ApiKeyInfo info = importDigest(spec());
        // Our format, the legacy key's id, any secret: the record's hash is a legacy one, so no match.
        String forged = TestKeys.withChecksum("acme_92_" + info.keyId() + "b".repeat(32));
        Verification v = apiKeys.verify(forged, "events:read");
        assertThat(v.failure()).contains(Failure.INVALID_API_KEY);
        assertThat(v.failedCheck()).contains(Check.SECRET);
    }

    @Test
    void aNonBlockingVerifyOfAnUnseenLegacyKeySaysItWouldBlockThenAnswersFromTheCache() {
        importDigest(spec());
        assertThat(apiKeys.verifyNow(DIGEST_KEY, "events:read")).isEmpty();
        assertThat(apiKeys.verify(DIGEST_KEY, "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verifyNow(DIGEST_KEY, "events:read")).get().extracting(Verification::isGranted)
                .isEqualTo(true);
    }

    @Test
    void aLegacyKeysVerifiesAreCountedUnderItsKeyIdSoAnOperatorSeesItIsStillUsed() {
        ApiKeyInfo info = importDigest(spec());
        apiKeys.verify(DIGEST_KEY, "events:read");
        apiKeys.verify(DIGEST_KEY, "events:write");
        apiKeys.usage().flush();
        Instant minute = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        assertThat(apiKeys.usage().series(dev.apikey.model.UsageSubject.key(info.keyId()), minute,
                minute.plusSeconds(60), dev.apikey.model.UsageGrain.MINUTE))
                .flatExtracting(p -> p.outcomes().entrySet())
                .containsExactlyInAnyOrder(java.util.Map.entry("granted", 1L),
                        java.util.Map.entry("insufficient_scope", 1L));
    }

    @Test
    void hygieneWarnsOfALegacyKeysRotateByDateMarkedLegacy() {
        importDigest(spec().rotateBy(clock.instant().plus(Duration.ofHours(12))));
        assertThat(apiKeys.checkHygiene().warned()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(dev.apikey.model.KeyNotice.Kind.ROTATE_BY);
            assertThat(n.key().legacy()).isTrue();
        });
    }
}
