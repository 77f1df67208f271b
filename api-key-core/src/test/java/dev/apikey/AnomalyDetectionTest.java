package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.apikey.internal.NetworkBits;
import dev.apikey.model.Anomaly;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anomaly detection (issue 27 §3): each detector fires on a scripted pattern and stays quiet on a steady one, with a
 * fixed clock; once per window, across instances; never on refusals naming no known key or a guessed secret.
 */
class AnomalyDetectionTest {

    /** A day and a bit before the test's hour: the key's history starts at its first whole hour, 01:00. */
    private static final Instant CREATED = Instant.parse("2026-12-02T00:10:00Z");
    private static final Instant HOUR = Instant.parse("2026-12-03T02:00:00Z");
    private static final AnomalyPolicy POLICY = AnomalyPolicy.defaults().withInterval(Duration.ofHours(1))
            .withBaseline(Duration.ofDays(7), Duration.ofHours(12));

    private final MutableClock clock = new MutableClock(CREATED);
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final List<Anomaly> heard = new CopyOnWriteArrayList<>();
    private final List<ApiKeys> built = new ArrayList<>();
    private ApiKeys apiKeys;

    private ApiKeys build(AnomalyPolicy policy) {
        KeyEventListener listener = new KeyEventListener() {
            @Override
            public void anomaly(Anomaly anomaly) {
                heard.add(anomaly);
            }
        };
        ApiKeys k = ApiKeys.builder().store(store).prefix("wlcro").scopes(TestKeys.SCOPES).clock(clock)
                .usageFlushInterval(Duration.ofMinutes(1)).listener(listener).anomalyDetection(policy).build();
        built.add(k);
        return k;
    }

    @AfterEach
    void close() {
        built.forEach(ApiKeys::close);
    }

    private String create(String tenant, KeySpec.Builder spec) {
        clock.set(CREATED);
        return apiKeys.create(spec.tenantId(tenant).scopes("events:read").build()).plaintext();
    }

    private String create(String tenant) {
        return create(tenant, KeySpec.builder("k"));
    }

    private static String idOf(String plaintext) {
        int token = plaintext.length() - KeyFormat.TOKEN_LENGTH;
        return plaintext.substring(token, token + KeyFormat.KEY_ID_LENGTH);
    }

    private void verify(String key, String scope, String address, int times) {
        for (int i = 0; i < times; i++) {
            VerifyRequest request = VerifyRequest.header(key).scope(scope);
            apiKeys.verify(address == null ? request : request.remoteAddress(address));
        }
    }

    /** Each hour from the key's first whole hour to the test's hour: 10 grants and 2 scope refusals from 10.0.1.x. */
    private void steadyHistory(String key) {
        for (Instant h = Instant.parse("2026-12-02T01:20:00Z"); h.isBefore(HOUR); h = h.plus(Duration.ofHours(1))) {
            clock.set(h);
            verify(key, "events:read", "10.0.1.7", 10);
            verify(key, "events:write", "10.0.1.7", 2);
            apiKeys.usage().flush();
        }
        clock.set(HOUR.plusSeconds(20 * 60));
    }

    private List<Anomaly> detect() {
        apiKeys.usage().flush();
        return apiKeys.anomalies().detectNow();
    }

    @Test
    void aBurstOfRefusalsFiresOnceForTheKeyAndItsTenantAndASteadyHourNone() {
        apiKeys = build(POLICY);
        String a = create("92");
        steadyHistory(a);
        verify(a, "events:read", "10.0.1.7", 10);
        verify(a, "events:write", "10.0.1.7", 2);
        assertThat(detect()).as("a steady hour").isEmpty();

        verify(a, "events:write", "10.0.1.7", 40);
        List<Anomaly> opened = detect();

        assertThat(opened).extracting(Anomaly::kind, Anomaly::subject).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.REFUSAL_BURST, UsageSubject.key(idOf(a))),
                org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.REFUSAL_BURST, UsageSubject.tenant("92")));
        Anomaly burst = opened.stream().filter(x -> x.keyId().isPresent()).findFirst().orElseThrow();
        assertThat(burst.observed()).isEqualTo(42);
        assertThat(burst.baseline()).isEqualTo(2);
        assertThat(burst.tenantId()).isEqualTo("92");
        assertThat(burst.windowStart()).isEqualTo(HOUR);
        assertThat(burst.windowEnd()).isEqualTo(HOUR.plusSeconds(3_600));
        assertThat(heard).containsExactlyInAnyOrderElementsOf(opened);

        verify(a, "events:write", "10.0.1.7", 40);
        assertThat(detect()).as("once per window").isEmpty();
        assertThat(apiKeys.anomalies().open("92")).hasSize(2).allMatch(Anomaly::isOpen);
        assertThat(apiKeys.anomalies().list(null, idOf(a), true, 10)).containsExactly(burst);
        assertThat(apiKeys.anomalies().open("7")).isEmpty();

        clock.set(HOUR.plusSeconds(3_600 + 60));
        assertThat(detect()).as("the next hour is usual again").isEmpty();
        assertThat(apiKeys.anomalies().open("92")).as("closed when their window ended").isEmpty();
        assertThat(apiKeys.anomalies().list("92", null, false, 10)).hasSize(2)
                .allSatisfy(x -> assertThat(x.closedAt()).isEqualTo(HOUR.plusSeconds(3_600 + 60)));
    }

    @Test
    void volumeWellOverUsualFiresAndUsualVolumeDoesNot() {
        apiKeys = build(POLICY);
        String a = create("92");
        steadyHistory(a);
        verify(a, "events:read", "10.0.1.7", 40);
        assertThat(detect()).as("4 times the usual is under the factor of 5").isEmpty();

        verify(a, "events:read", "10.0.1.7", 60);

        assertThat(detect()).extracting(Anomaly::kind, Anomaly::observed, Anomaly::baseline).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.VOLUME_SPIKE, 100L, 12L),
                org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.VOLUME_SPIKE, 100L, 12L));
    }

    @Test
    void aNewKeyWithoutHistoryIsNotASpikeButItsRefusalsAreABurst() {
        apiKeys = build(POLICY);
        String a = create("92");
        clock.set(CREATED.plusSeconds(60));
        verify(a, "events:read", null, 500);
        assertThat(detect()).as("no usual volume yet").isEmpty();
        verify(a, "events:write", null, 20);
        assertThat(detect()).extracting(Anomaly::kind).containsOnly(Anomaly.Kind.REFUSAL_BURST).hasSize(2);
    }

    @Test
    void aNetworkNotSeenInTheBaselineFiresOnceAndKnownNetworksDoNot() {
        apiKeys = build(POLICY);
        String a = create("92");
        steadyHistory(a);
        verify(a, "events:read", "10.0.1.200", 3);
        assertThat(detect()).as("the usual /24").isEmpty();
        String elsewhere = null;
        for (int i = 0; elsewhere == null; i++) {
            String candidate = "198.51." + i + ".9";
            if (NetworkBits.bit(candidate) != NetworkBits.bit("10.0.1.7")) {
                elsewhere = candidate;
            }
        }
        verify(a, "events:read", elsewhere, 1);
        // Refusals naming the key with a wrong secret are not the key's own: from anywhere, they say nothing.
        verify(TestKeys.withSecret(a, "w".repeat(KeyFormat.SECRET_LENGTH)), "events:read", "203.0.113.5", 1);

        assertThat(detect()).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Anomaly.Kind.NEW_NETWORK);
            assertThat(x.keyId()).contains(idOf(a));
            assertThat(x.observed()).isEqualTo(1);
            assertThat(x.baseline()).isEqualTo(1);
        });
        verify(a, "events:read", elsewhere, 1);
        assertThat(detect()).isEmpty();
    }

    @Test
    void aQuotaWarnsAt80PercentAndAgainWhenSpentOncePerPeriod() {
        // An idle key's first 100 calls would be a volume spike too; not what this test is about.
        apiKeys = build(POLICY.withVolume(5, 1_000));
        String a = create("92", KeySpec.builder("q").allowance(Quota.perDay(100)));
        clock.set(HOUR);
        verify(a, "events:read", null, 79);
        assertThat(detect()).isEmpty();
        verify(a, "events:read", null, 1);
        assertThat(detect()).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Anomaly.Kind.QUOTA_WARNING);
            assertThat(x.observed()).isEqualTo(80);
            assertThat(x.baseline()).isEqualTo(100);
            assertThat(x.detail()).isEqualTo("daily");
            assertThat(x.windowStart()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
            assertThat(x.windowEnd()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        });
        verify(a, "events:read", null, 10);
        assertThat(detect()).as("once per period").isEmpty();
        verify(a, "events:read", null, 15);
        assertThat(detect()).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.QUOTA_EXHAUSTED);
    }

    @Test
    void everyQuotaOfTheKeyAndOfItsTenantIsWatchedEachOnce() {
        apiKeys = build(POLICY.withVolume(5, 1_000));
        String a = create("92", KeySpec.builder("q").allowance(Quota.perDay(1_000)).allowance(Quota.perDay(50)
                .named("trial")).allowance(Quota.perMonth(10_000)));
        apiKeys.setTenantAllowances("92", List.of(Quota.perMonth(48).named("plan")));
        clock.set(HOUR);
        verify(a, "events:read", null, 40);

        assertThat(detect()).as("the key's second daily quota, and the tenant's plan").extracting(Anomaly::kind,
                Anomaly::subject, Anomaly::detail, Anomaly::observed).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.QUOTA_WARNING, UsageSubject.key(idOf(a)),
                                "trial", 40L),
                        org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.QUOTA_WARNING, UsageSubject.tenant("92"),
                                "plan", 40L));
        verify(a, "events:read", null, 10);
        assertThat(detect()).as("the plan's 48 spent (the calls after it refused, so 'trial' stays at 48 of 50)")
                .extracting(Anomaly::kind, Anomaly::subject, Anomaly::detail).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.QUOTA_EXHAUSTED, UsageSubject.tenant("92"),
                                "plan"));
        assertThat(detect()).as("once per period and quota").isEmpty();
    }

    @Test
    void anOldKeyUsedAfterItsRotationFiresAndOnlyTheNewKeyUsedDoesNot() {
        apiKeys = build(POLICY);
        String old = create("92");
        clock.set(HOUR.plusSeconds(5 * 60));
        verify(old, "events:read", null, 3);
        apiKeys.usage().flush();
        String replacement = apiKeys.rotate(idOf(old), Duration.ofDays(1)).plaintext();
        clock.advance(Duration.ofMinutes(1));
        verify(replacement, "events:read", null, 5);
        assertThat(detect()).as("uses before the rotation, and the new key's").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        verify(old, "events:read", null, 2);

        assertThat(detect()).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Anomaly.Kind.OLD_KEY_USED);
            assertThat(x.keyId()).contains(idOf(old));
            assertThat(x.observed()).isEqualTo(2);
            assertThat(x.detail()).isEqualTo(idOf(replacement));
        });
    }

    @Test
    void twoInstancesSharingOneStoreFireOnceEvenAfterTheLeaseMoves() {
        // Windows of a day, leases of two intervals (2 h): the window outlives a lease.
        AnomalyPolicy daily = POLICY.withWindow(Duration.ofDays(1));
        apiKeys = build(daily);
        ApiKeys other = build(daily);
        String a = create("92");
        String b = create("92");
        Instant firstRun = Instant.parse("2026-12-03T00:30:00Z");
        clock.set(firstRun);
        verify(a, "events:write", null, 30);
        apiKeys.usage().flush();

        List<Anomaly> first = apiKeys.anomalies().detectNow();
        List<Anomaly> second = other.anomalies().detectNow();

        assertThat(first).extracting(Anomaly::kind).containsOnly(Anomaly.Kind.REFUSAL_BURST).hasSize(2);
        assertThat(second).as("the other instance does not hold the lease").isEmpty();

        clock.set(firstRun.plus(Duration.ofHours(2)).plusSeconds(60));
        verify(b, "events:write", null, 30);
        apiKeys.usage().flush();
        assertThat(apiKeys.anomalies().detectNow()).as("its lease ran out, but it is the holder's to renew").hasSize(1);
        verify(b, "events:write", null, 30);
        apiKeys.usage().flush();
        clock.advance(Duration.ofHours(2).plusSeconds(60));
        assertThat(other.anomalies().detectNow()).as("taken over: the window's anomalies are not fired again")
                .isEmpty();
        assertThat(apiKeys.anomalies().detectNow()).as("the other instance holds the lease now").isEmpty();
        assertThat(heard).hasSize(3).doesNotHaveDuplicates();
        assertThat(other.anomalies().open("92")).hasSize(3);
    }

    @Test
    void garbageNamingATenantOrItsKeyIdsFiresNothing() {
        apiKeys = build(POLICY.withRefusals(1, 1).withVolume(1, 1));
        String real = create("92");
        steadyHistory(real);
        String unknownId = TestKeys.withChecksum(real.substring(0, real.length() - KeyFormat.TOKEN_LENGTH)
                + "ZZZZZZZZ" + TestKeys.secretOf(real));
        String wrongSecret = TestKeys.withSecret(real, "w".repeat(KeyFormat.SECRET_LENGTH));
        String otherTenant = TestKeys.withHead(real, "wlcro_93");
        String badChecksum = real.substring(0, real.length() - 1)
                + (real.endsWith("A") ? "B" : "A");
        for (String garbage : List.of(unknownId, wrongSecret, otherTenant, badChecksum, "wlcro_92_garbage")) {
            verify(garbage, "events:read", "203.0.113.5", 200);
        }

        assertThat(detect()).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void wrongSecretsSentWithManyKeyIdsCrowdNoKeyOutOfTheRun() {
        apiKeys = build(POLICY.withMaxKeysPerRun(2));
        String watched = create("92");
        List<String> flooded = List.of(create("93"), create("93"), create("93"));
        steadyHistory(watched);
        // Somebody who knows three key ids sends wrong secrets with each, far more than the watched key's calls.
        for (String key : flooded) {
            verify(TestKeys.withSecret(key, "w".repeat(KeyFormat.SECRET_LENGTH)), "events:read", "203.0.113.5", 300);
        }
        verify(watched, "events:read", "10.0.1.7", 100);

        assertThat(detect()).as("the watched key is judged though three keys had more refusals")
                .extracting(Anomaly::kind, Anomaly::subject).contains(
                        org.assertj.core.groups.Tuple.tuple(Anomaly.Kind.VOLUME_SPIKE, UsageSubject.key(idOf(watched))));
        assertThat(heard).noneMatch(a -> a.tenantId().equals("93"));
    }

    @Test
    void aBaselineOrWindowLongerThanTheCountsKeptIsRefusedAtBuild() {
        ApiKeysBuilder shortHours = ApiKeys.builder().store(new InMemoryKeyStore()).prefix("wlcro")
                .scopes(TestKeys.SCOPES).usageRetention(Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(30))
                .anomalyDetection(AnomalyPolicy.defaults());
        assertThatIllegalStateException().isThrownBy(shortHours::build).withMessage("anomalyDetection's baseline and "
                + "window (PT168H and PT1H) must not be longer than usageRetention's hours (PT24H): the usual is read "
                + "from hour counts");
        ApiKeysBuilder shortMinutes = ApiKeys.builder().store(new InMemoryKeyStore()).prefix("wlcro")
                .scopes(TestKeys.SCOPES).usageRetention(Duration.ofHours(2), Duration.ofDays(30), Duration.ofDays(60))
                .anomalyDetection(AnomalyPolicy.defaults().withWindow(Duration.ofHours(3)));
        assertThatIllegalStateException().isThrownBy(shortMinutes::build).withMessageStartingWith(
                "anomalyDetection's window (PT3H) must not be longer than usageRetention's minutes (PT2H)");
        try (ApiKeys fits = ApiKeys.builder().store(new InMemoryKeyStore()).prefix("wlcro").scopes(TestKeys.SCOPES)
                .usageRetention(Duration.ofHours(2), Duration.ofHours(170), Duration.ofDays(60))
                .anomalyDetection(AnomalyPolicy.defaults()).build()) {
            assertThat(fits.anomalies()).isNotNull();
        }
    }

    @Test
    void aDetectionRunThatTakesLongHoldsBackNoUsageFlush() throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        InMemoryUsageStore counts = new InMemoryUsageStore();
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        dev.apikey.spi.UsageStore slowToRank = new dev.apikey.spi.UsageStore() {
            @Override
            public void addUsage(List<dev.apikey.spi.UsageCount> batch) {
                counts.addUsage(batch);
                batch.forEach(c -> written.addAndGet(c.count()));
            }

            @Override
            public List<dev.apikey.spi.UsageCount> readUsage(UsageSubject s, dev.apikey.model.UsageGrain g,
                    Instant from, Instant to) {
                return counts.readUsage(s, g, from, to);
            }

            @Override
            public List<dev.apikey.model.UsageTotal> topUsage(String t, dev.apikey.model.UsageGrain g, Instant from,
                    Instant to, dev.apikey.model.UsageTotal.Rank r, int limit) {
                running.countDown();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS); // a run of many seconds
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return counts.topUsage(t, g, from, to, r, limit);
            }

            @Override
            public long purgeUsage(dev.apikey.model.UsageGrain g, Instant before) {
                return counts.purgeUsage(g, before);
            }
        };
        try (ApiKeys keys = ApiKeys.builder().store(new InMemoryKeyStore()).usageStore(slowToRank).prefix("wlcro")
                .scopes(TestKeys.SCOPES).usageFlushInterval(Duration.ofSeconds(1))
                .anomalyDetection(AnomalyPolicy.defaults().withInterval(Duration.ofSeconds(10))).build()) {
            String key = keys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            try {
                assertThat(running.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the first run started")
                        .isTrue();
                keys.verify(key, "events:read");
                Await.until("a usage flush while the detection run is still going", () -> written.get() > 0);
                assertThat(written.get()).as("flushed within 10 s while the run is still going").isEqualTo(1);
                assertThat(release.getCount()).isEqualTo(1);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void withoutAStoreThatKeepsAnomaliesOrCountsTheBuilderSaysWhy() {
        assertThatThrownBy(() -> ApiKeys.builder().store(store).prefix("wlcro").scopes(TestKeys.SCOPES)
                .usageCounting(false).anomalyDetection(POLICY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("anomalyDetection needs");
        ApiKeys plain = ApiKeys.builder().store(store).prefix("wlcro").scopes(TestKeys.SCOPES).build();
        built.add(plain);
        assertThatThrownBy(plain::anomalies).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("anomalyDetection");
    }

    @Test
    void readsCheckTheirArguments() {
        apiKeys = build(POLICY);
        assertThatThrownBy(() -> apiKeys.anomalies().list("9 2", null, true, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> apiKeys.anomalies().list(null, "short", true, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyId");
        assertThatThrownBy(() -> apiKeys.anomalies().list(null, null, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be 1 to 1000");
    }

    @Test
    void thePolicyNamesTheFieldAndRuleOfABadValue() {
        assertThatThrownBy(() -> POLICY.withWindow(Duration.ofMinutes(7)))
                .hasMessageContaining("window must be a whole number of minutes that divides a day");
        assertThatThrownBy(() -> POLICY.withRefusals(0.5, 10)).hasMessageContaining("refusalFactor must be 1 to 1000");
        assertThatThrownBy(() -> POLICY.withQuotaWarning(100)).hasMessageContaining("quotaWarning must be 1 to 99");
        assertThatThrownBy(() -> POLICY.withBaseline(Duration.ofMinutes(90), Duration.ZERO))
                .hasMessageContaining("baseline must be whole hours");
    }
}
