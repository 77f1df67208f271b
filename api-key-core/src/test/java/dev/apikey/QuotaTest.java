package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quotas: calls per UTC day or month, refused with quota_exceeded until the period ends, the rest shown. */
class QuotaTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T22:00:00Z");
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock).build();

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    @Test
    void aDailyQuotaRefusesTheRestOfTheDayAndResetsAtMidnightUtc() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("k").scopes("events:read").quota(Quota.perDay(3)).build());
        String keyId = issued.info().keyId();
        assertThat(issued.info().quotaRemaining()).hasValue(3);

        for (int i = 0; i < 3; i++) {
            assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        }
        assertThat(apiKeys.get(keyId).orElseThrow().quotaRemaining()).hasValue(0);
        Verification refused = apiKeys.verify(issued.plaintext(), "events:read");

        assertThat(refused.failure()).contains(Failure.QUOTA_EXCEEDED);
        assertThat(refused.failedCheck()).contains(Check.QUOTA);
        assertThat(Failure.QUOTA_EXCEEDED.httpStatus()).isEqualTo(429);
        assertThat(refused.retryAfter()).contains(Duration.ofHours(2));
        assertThat(refused.detail()).contains("This key has used its quota 'daily' of 3 calls a day; the count starts "
                + "again at 2026-11-24T00:00:00Z.");
        assertThat(apiKeys.verify(issued.plaintext(), "webhooks:write").failure()).as("scope is checked first")
                .contains(Failure.INSUFFICIENT_SCOPE);

        clock.advance(Duration.ofHours(2));
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).as("a new day").isTrue();
        assertThat(apiKeys.get(keyId).orElseThrow().quotaRemaining()).hasValue(2);
    }

    @Test
    void rotatingAKeyDoesNotResetItsQuota() {
        IssuedKey first = apiKeys.create(KeySpec.builder("k").scopes("events:read").quota(Quota.perDay(3)).build());
        assertThat(apiKeys.verify(first.plaintext(), null).isGranted()).isTrue();
        assertThat(apiKeys.verify(first.plaintext(), null).isGranted()).isTrue();

        IssuedKey second = apiKeys.rotate(first.info().keyId(), Duration.ofHours(1));
        IssuedKey third = apiKeys.rotate(second.info().keyId(), Duration.ofHours(1));
        assertThat(third.info().quotaRemaining()).as("the successor continues the window").hasValue(1);
        assertThat(apiKeys.verify(third.plaintext(), null).isGranted()).isTrue();
        // Three keys of one lineage work during the overlaps; together they have the one quota of 3 a day.
        assertThat(apiKeys.verify(third.plaintext(), null).failure()).contains(Failure.QUOTA_EXCEEDED);
        assertThat(apiKeys.verify(first.plaintext(), null).failure()).contains(Failure.QUOTA_EXCEEDED);
        assertThat(apiKeys.verify(second.plaintext(), null).failure()).contains(Failure.QUOTA_EXCEEDED);

        clock.advance(Duration.ofHours(2));
        assertThat(apiKeys.verify(third.plaintext(), null).isGranted()).as("a new day").isTrue();
    }

    @Test
    void rotatingAKeyDoesNotResetItsRateLimitAndTheOverlapDoesNotDoubleIt() {
        IssuedKey first = apiKeys.create(KeySpec.builder("k").scopes("events:read").rateLimit(RateLimit.perMinute(3))
                .build());
        assertThat(apiKeys.verify(first.plaintext(), null).isGranted()).isTrue();
        assertThat(apiKeys.verify(first.plaintext(), null).isGranted()).isTrue();
        IssuedKey second = apiKeys.rotate(first.info().keyId(), Duration.ofHours(1));

        assertThat(apiKeys.verify(second.plaintext(), null).isGranted()).isTrue();
        assertThat(apiKeys.verify(second.plaintext(), null).failure()).contains(Failure.RATE_LIMITED);
        assertThat(apiKeys.verify(first.plaintext(), null).failure()).contains(Failure.RATE_LIMITED);
    }

    @Test
    void aMonthlyQuotaCanBeEditedAndRemoved() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("k").scopes("events:read").quota(Quota.perMonth(1)).build());
        String keyId = issued.info().keyId();
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").failure()).contains(Failure.QUOTA_EXCEEDED);

        ApiKeyInfo raised = apiKeys.update(keyId, KeyUpdate.builder().quota(Quota.perMonth(2)).build());
        assertThat(raised.attributes().quota()).contains(Quota.perMonth(2));
        assertThat(raised.quotaRemaining()).as("the calls of this month stay counted").hasValue(1);
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        ApiKeyInfo none = apiKeys.update(keyId, KeyUpdate.builder().allowances(java.util.List.of()).build());
        assertThat(none.attributes().quota()).isEmpty();
        assertThat(none.quotaRemaining()).isEmpty();
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
    }

    @Test
    void periodsAndTextFollowTheUtcCalendar() {
        Instant at = Instant.parse("2026-12-31T23:59:59Z");
        assertThat(Quota.perMonth(5).resetAt(at)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(Quota.perDay(5).periodIndex(at)).isEqualTo(Quota.perDay(5).periodIndex(Instant.parse(
                "2026-12-31T00:00:00Z")));
        assertThat(Quota.perMonth(5).periodIndex(at) + 1)
                .isEqualTo(Quota.perMonth(5).periodIndex(Instant.parse("2027-01-01T00:00:00Z")));
        assertThat(Quota.parse("10000/day")).isEqualTo(Quota.perDay(10_000));
        assertThat(Quota.parse("5/month").toString()).isEqualTo("5/month");
        assertThatIllegalArgumentException().isThrownBy(() -> Quota.parse("5/week"))
                .withMessageStartingWith("quota must be calls per day or month, like 10000/day");
        assertThatIllegalArgumentException().isThrownBy(() -> Quota.perDay(0))
                .withMessage("quota calls must be 1 to 1000000000000, was 0");
    }

    @Test
    void aFailingMeterFailsOpenOrClosedWithTheQuotasOwnCode() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        dev.apikey.testkit.DownMeter down = new dev.apikey.testkit.DownMeter();
        try (ApiKeys open = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).meter(down).build();
                ApiKeys closed = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                        .hasher(TestKeys.cheapArgon2()).meter(down).meterFailClosed(true).build()) {
            IssuedKey issued = open.create(KeySpec.builder("k").scopes("events:read").quota(Quota.perDay(1)).build());
            IssuedKey limited = open.create(KeySpec.builder("r").scopes("events:read").quota(Quota.perDay(1))
                    .rateLimit(RateLimit.perMinute(5)).build());
            assertThat(issued.info().quotaRemaining()).as("unknown").isEmpty();
            assertThat(open.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
            Verification refused = closed.verify(issued.plaintext(), "events:read");
            assertThat(refused.failure()).as("only a quota: its own code").contains(Failure.QUOTA_UNAVAILABLE);
            assertThat(refused.failedCheck()).contains(Check.QUOTA);
            assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
            assertThat(closed.verify(limited.plaintext(), "events:read").failure()).as("a rate limit among them")
                    .contains(Failure.RATE_LIMIT_UNAVAILABLE);
            assertThat(open.stats().rateLimiterFailures()).isEqualTo(1);
        }
    }
}
