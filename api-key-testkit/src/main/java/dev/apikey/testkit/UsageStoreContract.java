package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageCountry;
import dev.apikey.spi.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageStore} must do, as a JUnit 5 test class to extend (this project runs it on the in-memory
 * store, H2 and PostgreSQL): counts add up, never replace, across batches and concurrent writers; a minute count is
 * read back in its minute, hour and day; a tenant's series sums its keys and never holds the unknown series; ranges
 * are half-open; network sketches merge with OR; top lists rank by calls or refusals, ties by key id, without the
 * unknown series; a purge deletes only the older buckets of its grain; a store that keeps countries keeps each key,
 * hour and country once and deletes them with its hour buckets.
 *
 * <pre>{@code
 * class ClickHouseUsageContractTest extends UsageStoreContract {
 *     protected UsageStore newUsageStore() {
 *         return new ClickHouseUsageStore(freshTable());   // empty for each test
 *     }
 * }
 * }</pre>
 */
public abstract class UsageStoreContract {

    /** A minute the cases count in: 10:07 on a day, UTC. */
    protected static final Instant MINUTE = Instant.parse("2026-12-03T10:07:00Z");
    private static final Instant HOUR = Instant.parse("2026-12-03T10:00:00Z");
    private static final Instant DAY = Instant.parse("2026-12-03T00:00:00Z");

    /** The store under test, made by {@link #newUsageStore()} before each case. */
    protected UsageStore usage;

    /** Extended by a test class per store. */
    protected UsageStoreContract() {
    }

    /**
     * A new, empty usage store.
     *
     * @return the store
     */
    protected abstract UsageStore newUsageStore();

    /** Makes the store. */
    @BeforeEach
    void newStore() {
        usage = newUsageStore();
    }

    /** Lets a store release what it holds; the default does nothing. */
    @AfterEach
    protected void closeStore() {
    }

    private static UsageCount count(Instant minute, String key, String tenant, String outcome, long n) {
        return new UsageCount(minute, key, tenant, outcome, n, 0);
    }

    private long sum(UsageSubject subject, UsageGrain grain, Instant from, Instant to, String outcome) {
        return usage.readUsage(subject, grain, from, to).stream().filter(c -> c.outcome().equals(outcome))
                .mapToLong(UsageCount::count).sum();
    }

    @Test
    void countsAddUpAcrossBatchesAndAreReadInTheirMinuteHourAndDay() {
        usage.addUsage(List.of(count(MINUTE, "AAAAAAAA", "92", "granted", 3),
                count(MINUTE, "AAAAAAAA", "92", "invalid_api_key", 1)));
        usage.addUsage(List.of(count(MINUTE, "AAAAAAAA", "92", "granted", 2)));
        usage.addUsage(List.of(count(MINUTE.plusSeconds(60), "AAAAAAAA", "92", "granted", 4)));
        UsageSubject key = UsageSubject.key("AAAAAAAA");

        List<UsageCount> minutes = usage.readUsage(key, UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(120));
        assertThat(minutes).extracting(UsageCount::bucket, UsageCount::outcome, UsageCount::count)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(MINUTE, "granted", 5L),
                        org.assertj.core.groups.Tuple.tuple(MINUTE, "invalid_api_key", 1L),
                        org.assertj.core.groups.Tuple.tuple(MINUTE.plusSeconds(60), "granted", 4L));
        assertThat(minutes).allSatisfy(c -> assertThat(c.keyId()).isEqualTo("AAAAAAAA"));
        assertThat(usage.readUsage(key, UsageGrain.HOUR, HOUR, HOUR.plusSeconds(3600)))
                .extracting(UsageCount::bucket, UsageCount::outcome, UsageCount::count)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(HOUR, "granted", 9L),
                        org.assertj.core.groups.Tuple.tuple(HOUR, "invalid_api_key", 1L));
        assertThat(sum(key, UsageGrain.DAY, DAY, DAY.plusSeconds(86_400), "granted")).isEqualTo(9);
    }

    @Test
    void rangesIncludeTheirStartAndLeaveOutTheirEnd() {
        usage.addUsage(List.of(count(MINUTE, "AAAAAAAA", "92", "granted", 1),
                count(MINUTE.plusSeconds(60), "AAAAAAAA", "92", "granted", 10)));
        UsageSubject key = UsageSubject.key("AAAAAAAA");
        assertThat(sum(key, UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(60), "granted")).isEqualTo(1);
        assertThat(sum(key, UsageGrain.MINUTE, MINUTE.plusSeconds(60), MINUTE.plusSeconds(61), "granted"))
                .isEqualTo(10);
        assertThat(usage.readUsage(key, UsageGrain.MINUTE, MINUTE.minusSeconds(60), MINUTE)).isEmpty();
    }

    @Test
    void aTenantsSeriesSumsItsKeysAndNeverHoldsTheUnknownSeries() {
        usage.addUsage(List.of(count(MINUTE, "AAAAAAAA", "92", "granted", 3),
                count(MINUTE, "BBBBBBBB", "92", "granted", 4),
                count(MINUTE, "CCCCCCCC", "7", "granted", 100),
                count(MINUTE, UsageCount.UNKNOWN_KEY, null, "invalid_api_key", 50)));

        List<UsageCount> tenant = usage.readUsage(UsageSubject.tenant("92"), UsageGrain.MINUTE, MINUTE,
                MINUTE.plusSeconds(60));
        assertThat(tenant).singleElement().satisfies(c -> {
            assertThat(c.count()).isEqualTo(7);
            assertThat(c.keyId()).as("a tenant's counts name no key").isNull();
        });
        assertThat(sum(UsageSubject.unknown(), UsageGrain.HOUR, HOUR, HOUR.plusSeconds(3600), "invalid_api_key"))
                .isEqualTo(50);
        assertThat(usage.readUsage(UsageSubject.tenant("8"), UsageGrain.DAY, DAY, DAY.plusSeconds(86_400)))
                .isEmpty();
    }

    @Test
    void networkSketchesMergeWithOr() {
        usage.addUsage(List.of(new UsageCount(MINUTE, "AAAAAAAA", "92", "granted", 1, 0b0011)));
        usage.addUsage(List.of(new UsageCount(MINUTE, "AAAAAAAA", "92", "granted", 1, 0b0110)));
        usage.addUsage(List.of(new UsageCount(MINUTE, "BBBBBBBB", "92", "granted", 1, Long.MIN_VALUE)));

        assertThat(usage.readUsage(UsageSubject.key("AAAAAAAA"), UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(60)))
                .singleElement().extracting(UsageCount::networks).isEqualTo(0b0111L);
        assertThat(usage.readUsage(UsageSubject.tenant("92"), UsageGrain.DAY, DAY, DAY.plusSeconds(86_400)))
                .singleElement().extracting(UsageCount::networks).isEqualTo(Long.MIN_VALUE | 0b0111L);
    }

    @Test
    void topListsRankByCallsOrRefusalsWithTiesByKeyIdAndNeverTheUnknownSeries() {
        usage.addUsage(List.of(count(MINUTE, "BBBBBBBB", "92", "granted", 5),
                count(MINUTE, "AAAAAAAA", "92", "granted", 5),
                count(MINUTE, "CCCCCCCC", "92", "insufficient_scope", 2),
                count(MINUTE, "CCCCCCCC", "92", "granted", 1),
                count(MINUTE, "DDDDDDDD", "7", "granted", 50),
                count(MINUTE, UsageCount.UNKNOWN_KEY, null, "invalid_api_key", 500)));
        Instant to = HOUR.plusSeconds(3600);

        assertThat(usage.topUsage("92", UsageGrain.HOUR, HOUR, to, UsageTotal.Rank.CALLS, 10)).containsExactly(
                new UsageTotal("AAAAAAAA", "92", 5, 0), new UsageTotal("BBBBBBBB", "92", 5, 0),
                new UsageTotal("CCCCCCCC", "92", 1, 2));
        assertThat(usage.topUsage(null, UsageGrain.HOUR, HOUR, to, UsageTotal.Rank.CALLS, 2))
                .extracting(UsageTotal::keyId).containsExactly("DDDDDDDD", "AAAAAAAA");
        assertThat(usage.topUsage(null, UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(60), UsageTotal.Rank.REFUSALS,
                10)).containsExactly(new UsageTotal("CCCCCCCC", "92", 1, 2));
        assertThat(usage.topUsage("92", UsageGrain.HOUR, to, to.plusSeconds(3600), UsageTotal.Rank.CALLS, 10))
                .isEmpty();
    }

    @Test
    void theProvenRankLeavesOutWhatAnybodyCanCauseByNamingAKeyId() {
        // Wrong secrets and a throttle of them name a key without its secret; a revoked key's use and a refusal for
        // scope were earned with it.
        usage.addUsage(List.of(count(MINUTE, "AAAAAAAA", "92", "invalid_api_key", 900),
                count(MINUTE, "AAAAAAAA", "92", "too_many_failed_attempts", 90),
                count(MINUTE, "BBBBBBBB", "92", "granted", 2),
                count(MINUTE, "BBBBBBBB", "92", "invalid_api_key", 50),
                count(MINUTE, "CCCCCCCC", "92", "revoked_api_key", 3),
                count(MINUTE, "DDDDDDDD", "7", "insufficient_scope", 1),
                count(MINUTE, "DDDDDDDD", "7", "granted", 1)));
        Instant to = MINUTE.plusSeconds(60);

        assertThat(usage.topUsage(null, UsageGrain.MINUTE, MINUTE, to, UsageTotal.Rank.PROVEN, 10))
                .as("ranked by proven outcomes; each total still counts every outcome").containsExactly(
                        new UsageTotal("CCCCCCCC", "92", 0, 3), new UsageTotal("BBBBBBBB", "92", 2, 50),
                        new UsageTotal("DDDDDDDD", "7", 1, 1));
        assertThat(usage.topUsage("92", UsageGrain.HOUR, HOUR, HOUR.plusSeconds(3600), UsageTotal.Rank.PROVEN, 1))
                .extracting(UsageTotal::keyId).containsExactly("CCCCCCCC");
        assertThat(usage.topUsage(null, UsageGrain.MINUTE, MINUTE, to, UsageTotal.Rank.REFUSALS, 1))
                .as("the refusal rank still counts them").extracting(UsageTotal::keyId).containsExactly("AAAAAAAA");
    }

    @Test
    void aPurgeDeletesOnlyOlderBucketsOfItsGrain() {
        usage.addUsage(List.of(count(MINUTE, "AAAAAAAA", "92", "granted", 1),
                count(MINUTE.plusSeconds(3600), "AAAAAAAA", "92", "granted", 2)));
        UsageSubject key = UsageSubject.key("AAAAAAAA");

        usage.purgeUsage(UsageGrain.MINUTE, MINUTE.plusSeconds(60));

        assertThat(sum(key, UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(7200), "granted")).isEqualTo(2);
        assertThat(sum(key, UsageGrain.HOUR, HOUR, HOUR.plusSeconds(7200), "granted")).as("hours kept").isEqualTo(3);
        usage.purgeUsage(UsageGrain.MINUTE, MINUTE.plusSeconds(60));
        assertThat(sum(key, UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(7200), "granted")).as("idempotent")
                .isEqualTo(2);
    }

    @Test
    void concurrentWritersAddUpExactly() throws Exception {
        int writers = 4;
        int batches = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    // Every writer adds to the same new minute rows at about the same time: racing inserts.
                    for (int b = 0; b < batches; b++) {
                        Instant minute = MINUTE.plusSeconds(60L * b);
                        usage.addUsage(List.of(count(minute, "AAAAAAAA", "92", "granted", 1),
                                count(minute, "BBBBBBBB", "92", "granted", 2),
                                count(minute.plusSeconds(60), "AAAAAAAA", "92", "granted", 3)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sum(UsageSubject.tenant("92"), UsageGrain.DAY, DAY, DAY.plusSeconds(86_400), "granted"))
                .isEqualTo((long) writers * batches * 6);
        assertThat(sum(UsageSubject.key("AAAAAAAA"), UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(60L * (batches + 1)),
                "granted")).isEqualTo((long) writers * batches * 4);
        assertThat(sum(UsageSubject.key("AAAAAAAA"), UsageGrain.MINUTE, MINUTE, MINUTE.plusSeconds(60), "granted"))
                .as("the first minute: one from each writer's first batch").isEqualTo(writers);
    }

    @Test
    void countriesAreKeptOncePerKeyHourAndCountryAndPurgedWithTheHours() {
        if (!usage.keepsCountries()) {
            // A store without countries is never handed any, and reads none back.
            assertThat(usage.readCountries("AAAAAAAA", DAY, DAY.plusSeconds(86_400))).isEmpty();
            return;
        }
        Instant next = HOUR.plusSeconds(3_600);
        usage.addCountries(List.of(new UsageCountry(HOUR, "AAAAAAAA", "92", "DE"),
                new UsageCountry(HOUR, "AAAAAAAA", "92", "FR"), new UsageCountry(HOUR, "BBBBBBBB", "92", "IT")));
        usage.addCountries(List.of(new UsageCountry(HOUR, "AAAAAAAA", "92", "DE"),
                new UsageCountry(next, "AAAAAAAA", "92", "DE")));

        assertThat(usage.readCountries("AAAAAAAA", HOUR, next.plusSeconds(3_600)))
                .as("in hour order, then by country; each once")
                .containsExactly(new UsageCountry(HOUR, "AAAAAAAA", "92", "DE"),
                        new UsageCountry(HOUR, "AAAAAAAA", "92", "FR"), new UsageCountry(next, "AAAAAAAA", "92", "DE"));
        assertThat(usage.readCountries("AAAAAAAA", next, next.plusSeconds(3_600))).as("half-open ranges")
                .extracting(UsageCountry::hour).containsOnly(next);
        assertThat(usage.readCountries("CCCCCCCC", HOUR, next.plusSeconds(3_600))).isEmpty();

        usage.purgeUsage(UsageGrain.MINUTE, next.plusSeconds(3_600));
        assertThat(usage.readCountries("AAAAAAAA", HOUR, next.plusSeconds(3_600))).as("minutes' purge keeps them")
                .hasSize(3);
        usage.purgeUsage(UsageGrain.HOUR, next);
        assertThat(usage.readCountries("AAAAAAAA", HOUR, next.plusSeconds(3_600))).as("deleted with the hours")
                .containsExactly(new UsageCountry(next, "AAAAAAAA", "92", "DE"));
        assertThat(usage.readCountries("BBBBBBBB", HOUR, next)).isEmpty();
    }
}
