package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsagePoint;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.UsageCount;
import dev.apikey.spi.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Verify counts (issue 27 §1–§2): per key, tenant and outcome, the unknown series, flushes, rollups, retention. */
class UsageTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:30Z");
    private final MutableClock clock = new MutableClock(START);
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private ApiKeys apiKeys;

    private ApiKeys build(ApiKeysBuilder b) {
        apiKeys = b.prefix("wlcro").scopes(TestKeys.SCOPES).clock(clock).usageFlushInterval(Duration.ofMinutes(1))
                .build();
        return apiKeys;
    }

    private ApiKeys build() {
        return build(ApiKeys.builder().store(store));
    }

    @AfterEach
    void close() {
        if (apiKeys != null) {
            apiKeys.close();
        }
    }

    private String create(String name, String tenant) {
        return apiKeys.create(KeySpec.builder(name).tenantId(tenant).scopes("events:read").build()).plaintext();
    }

    private static String idOf(String plaintext) {
        int token = plaintext.length() - KeyFormat.TOKEN_LENGTH;
        return plaintext.substring(token, token + KeyFormat.KEY_ID_LENGTH);
    }

    private UsagePoint onlyMinute(UsageSubject subject) {
        List<UsagePoint> points = apiKeys.usage().series(subject, START, START.plusSeconds(1), UsageGrain.MINUTE);
        assertThat(points).hasSize(1);
        return points.get(0);
    }

    @Test
    void aRangeEndingInTheFirstSecondOfABucketHasThatBucket() {
        build();
        String a = create("a", "92");
        apiKeys.verify(a, "events:read");
        apiKeys.usage().flush();

        // Counted in START's minute; a range to 300 ms past that minute's first instant ends inside it, and holds it.
        Instant minute = START.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        List<UsagePoint> points = apiKeys.usage().series(UsageSubject.key(idOf(a)), minute.minusSeconds(120),
                minute.plusMillis(300), UsageGrain.MINUTE);
        assertThat(points).hasSize(3);
        assertThat(points.get(2).start()).isEqualTo(minute);
        assertThat(points.get(2).total()).isEqualTo(1);
        assertThat(apiKeys.usage().series(UsageSubject.key(idOf(a)), minute.minusSeconds(120), minute,
                UsageGrain.MINUTE)).as("a range ending where the minute starts does not").hasSize(2);
    }

    @Test
    void grantsAndRefusalsCountTowardTheKeyAndItsTenantByOutcome() {
        build();
        String a = create("a", "92");
        String b = create("b", "92");
        String c = create("c", "7");
        for (int i = 0; i < 3; i++) {
            apiKeys.verify(a, "events:read");
        }
        String wrong = TestKeys.withSecret(a, "w".repeat(KeyFormat.SECRET_LENGTH));
        apiKeys.verify(wrong, "events:read");
        apiKeys.verify(wrong, "events:read");
        apiKeys.verify(a, "events:write");
        apiKeys.verify(b, null);
        for (int i = 0; i < 4; i++) {
            apiKeys.verify(c, null);
        }
        assertThat(apiKeys.usage().series(UsageSubject.key(idOf(a)), START, START.plusSeconds(1), UsageGrain.MINUTE))
                .as("nothing is in the store before a flush").allSatisfy(p -> assertThat(p.total()).isZero());

        apiKeys.usage().flush();

        assertThat(onlyMinute(UsageSubject.key(idOf(a))).outcomes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("granted", 3L, "invalid_api_key", 2L,
                        "insufficient_scope", 1L));
        UsagePoint tenant92 = onlyMinute(UsageSubject.tenant("92"));
        assertThat(tenant92.outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of("granted", 4L,
                "invalid_api_key", 2L, "insufficient_scope", 1L));
        assertThat(tenant92.start()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(onlyMinute(UsageSubject.tenant("7")).outcomes()).containsExactlyEntriesOf(Map.of("granted", 4L));
        assertThat(onlyMinute(UsageSubject.unknown()).total()).isZero();

        apiKeys.usage().flush();
        assertThat(onlyMinute(UsageSubject.tenant("92")).total()).as("a second flush adds nothing").isEqualTo(7);
    }

    @Test
    void aRevokedKeysUseCountsTowardTheKeyAndItsTenantAsARefusalEarnedWithItsSecret() {
        build();
        String a = create("a", "92");
        apiKeys.verify(a, "events:read");
        apiKeys.revoke(idOf(a));
        for (int i = 0; i < 2; i++) {
            assertThat(apiKeys.verify(a, "events:read").failure()).contains(dev.apikey.model.Failure.REVOKED_API_KEY);
        }

        apiKeys.usage().flush();

        assertThat(onlyMinute(UsageSubject.key(idOf(a))).outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "granted", 1L, "revoked_api_key", 2L));
        assertThat(onlyMinute(UsageSubject.tenant("92")).outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "granted", 1L, "revoked_api_key", 2L));
        assertThat(apiKeys.usage().top("92", START, START.plusSeconds(60), dev.apikey.model.UsageTotal.Rank.PROVEN,
                10)).as("earned with its secret: the anomaly detection sees it").extracting(
                        dev.apikey.model.UsageTotal::keyId).containsExactly(idOf(a));
    }

    @Test
    void aRotatedKeyKeepsTheCountsItHadBeforeTheRotation() {
        build();
        String a = create("a", "92");
        for (int i = 0; i < 5; i++) {
            apiKeys.verify(a, "events:read");
        }
        apiKeys.verify(a, "webhooks:write");
        apiKeys.verify(a, "webhooks:write");
        apiKeys.rotate(idOf(a), Duration.ofHours(1));

        apiKeys.usage().flush();

        assertThat(onlyMinute(UsageSubject.key(idOf(a))).outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "granted", 5L, "insufficient_scope", 2L));
    }

    @Test
    void refusalsNamingNoKnownKeyGoToTheUnknownSeriesNeverToTheTenantTheTextNames() {
        build();
        String real = create("real", "92");
        String body = real.substring(0, real.length() - KeyFormat.TOKEN_LENGTH) + "ZZZZZZZZ"
                + real.substring(real.length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH,
                        real.length() - KeyFormat.CHECKSUM_LENGTH);
        String unknownId = TestKeys.withChecksum(body);
        assertThat(unknownId).startsWith("wlcro_92_");
        for (int i = 0; i < 5; i++) {
            assertThat(apiKeys.verify(unknownId, null).failure().orElseThrow().code()).isEqualTo("invalid_api_key");
        }
        apiKeys.verify("wlcro_92_garbage", null);
        apiKeys.verify(null, null);

        apiKeys.usage().flush();

        assertThat(onlyMinute(UsageSubject.tenant("92")).total()).as("the tenant named in the text").isZero();
        assertThat(onlyMinute(UsageSubject.key("ZZZZZZZZ")).total()).as("no series of its own").isZero();
        assertThat(onlyMinute(UsageSubject.unknown()).outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "invalid_api_key", 5L, "malformed_api_key", 1L, "missing_api_key", 1L));
        assertThat(apiKeys.usage().top(null, START.minusSeconds(60), START.plusSeconds(60),
                UsageTotal.Rank.REFUSALS, 10)).as("the unknown series is never a top key").isEmpty();
    }

    @Test
    void countsLandInTheMinuteOfTheirFlushAndAddUpInHoursAndDays() {
        build();
        String a = create("a", "92");
        apiKeys.verify(a, null);
        apiKeys.verify(a, null);
        apiKeys.usage().flush();
        clock.advance(Duration.ofMinutes(1));
        apiKeys.verify(a, null);
        apiKeys.usage().flush();
        UsageSubject key = UsageSubject.key(idOf(a));
        Instant hour = Instant.parse("2026-12-03T10:00:00Z");

        assertThat(apiKeys.usage().series(key, hour, hour.plusSeconds(180), UsageGrain.MINUTE))
                .extracting(UsagePoint::granted).containsExactly(2L, 1L, 0L);
        assertThat(apiKeys.usage().series(key, hour, hour.plusSeconds(7200), UsageGrain.HOUR))
                .extracting(UsagePoint::granted).containsExactly(3L, 0L);
        assertThat(apiKeys.usage().series(key, hour, hour.plusSeconds(1), UsageGrain.DAY))
                .singleElement().satisfies(p -> {
                    assertThat(p.granted()).isEqualTo(3);
                    assertThat(p.start()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
                });
    }

    @Test
    void aReloadedEntryKeepsItsCountsAndAnEvictedOneIsStillWritten() {
        build(ApiKeys.builder().store(store).cacheMaximumSize(1));
        String a = create("a", "92");
        String b = create("b", "92");
        apiKeys.verify(a, null);
        apiKeys.update(idOf(a), KeyUpdate.builder().name("renamed").build());
        apiKeys.verify(a, null);
        // The cache holds one key: b's load evicts a's entry, whose counts are not written yet.
        apiKeys.verify(b, null);

        apiKeys.usage().flush();

        assertThat(onlyMinute(UsageSubject.key(idOf(a))).granted()).isEqualTo(2);
        assertThat(onlyMinute(UsageSubject.key(idOf(b))).granted()).isEqualTo(1);
    }

    @Test
    void aVerifyWhoseLoadRacedAnInvalidationIsStillCounted() {
        // The first read of the key is overtaken by an edit (as by another instance's change seen on the feed):
        // the load's entry is used for this verify but not cached.
        java.util.concurrent.atomic.AtomicReference<Runnable> beforeFirstRead = new java.util.concurrent.atomic
                .AtomicReference<>();
        dev.apikey.spi.KeyStore racing = new dev.apikey.spi.KeyStore() {
            @Override
            public java.util.Optional<dev.apikey.spi.StoredKey> findById(String keyId) {
                Runnable hook = beforeFirstRead.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
                return store.findById(keyId);
            }

            @Override
            public List<dev.apikey.spi.StoredKey> findPage(dev.apikey.spi.KeyFilter filter, int limit) {
                return store.findPage(filter, limit);
            }

            @Override
            public void write(List<dev.apikey.spi.KeyWrite> writes) {
                store.write(writes);
            }
        };
        build(ApiKeys.builder().store(racing).usageStore(new InMemoryUsageStore()));
        String a = create("a", "92");
        beforeFirstRead.set(() -> apiKeys.update(idOf(a), KeyUpdate.builder().name("renamed").build()));

        assertThat(apiKeys.verify(a, null).isGranted()).isTrue();
        apiKeys.verify(a, null);
        apiKeys.usage().flush();

        assertThat(beforeFirstRead.get()).as("the race ran").isNull();
        assertThat(onlyMinute(UsageSubject.key(idOf(a))).granted()).isEqualTo(2);
    }

    @Test
    void aFailedWriteIsKeptAndAddedAtTheNextFlush() {
        InMemoryUsageStore counts = new InMemoryUsageStore();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        UsageStore flaky = new UsageStore() {
            @Override
            public void addUsage(List<UsageCount> batch) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new KeyStoreException("database down", new java.io.IOException("refused"));
                }
                counts.addUsage(batch);
            }

            @Override
            public List<UsageCount> readUsage(UsageSubject s, UsageGrain g, Instant from, Instant to) {
                return counts.readUsage(s, g, from, to);
            }

            @Override
            public List<UsageTotal> topUsage(String t, UsageGrain g, Instant from, Instant to, UsageTotal.Rank r,
                    int limit) {
                return counts.topUsage(t, g, from, to, r, limit);
            }

            @Override
            public long purgeUsage(UsageGrain g, Instant before) {
                return counts.purgeUsage(g, before);
            }
        };
        build(ApiKeys.builder().store(store).usageStore(flaky));
        String a = create("a", "92");
        apiKeys.verify(a, null);
        apiKeys.usage().flush();
        assertThat(onlyMinute(UsageSubject.key(idOf(a))).total()).isZero();
        apiKeys.verify(a, null);

        apiKeys.usage().flush();

        assertThat(onlyMinute(UsageSubject.key(idOf(a))).granted()).isEqualTo(2);
    }

    @Test
    void aLargeFlushIsWrittenInBoundedCallsAndAFailedCallLeavesOnlyItsOwnRowsForTheNextFlush() {
        InMemoryUsageStore counts = new InMemoryUsageStore();
        List<Integer> calls = new java.util.ArrayList<>();
        UsageStore failingSecondCall = new UsageStore() {
            @Override
            public void addUsage(List<UsageCount> batch) {
                calls.add(batch.size());
                if (calls.size() == 2) {
                    throw new KeyStoreException("timeout", new java.io.IOException("statement timeout"));
                }
                counts.addUsage(batch);
            }

            @Override
            public List<UsageCount> readUsage(UsageSubject s, UsageGrain g, Instant from, Instant to) {
                return counts.readUsage(s, g, from, to);
            }

            @Override
            public List<UsageTotal> topUsage(String t, UsageGrain g, Instant from, Instant to, UsageTotal.Rank r,
                    int limit) {
                return counts.topUsage(t, g, from, to, r, limit);
            }

            @Override
            public long purgeUsage(UsageGrain g, Instant before) {
                return counts.purgeUsage(g, before);
            }
        };
        build(ApiKeys.builder().store(store).usageStore(failingSecondCall).hasher(
                dev.apikey.hash.Sha256Hasher.create()));
        int keys = UsageCounter.MAX_BATCH + 200;
        for (int i = 0; i < keys; i++) {
            apiKeys.verify(create("k" + i, "92"), null);
        }

        apiKeys.usage().flush();
        assertThat(calls).containsExactly(UsageCounter.MAX_BATCH, 200);
        assertThat(onlyMinute(UsageSubject.tenant("92")).granted()).isEqualTo(UsageCounter.MAX_BATCH);
        apiKeys.usage().flush();

        assertThat(calls).containsExactly(UsageCounter.MAX_BATCH, 200, 200);
        assertThat(onlyMinute(UsageSubject.tenant("92")).granted()).as("every count once").isEqualTo(keys);
    }

    @Test
    void aStoreThatCannotTakeTheCountsIsNotAskedToPurge() {
        AtomicInteger purges = new AtomicInteger();
        UsageStore down = new DownUsageStore(purges);
        build(ApiKeys.builder().store(store).usageStore(down));
        apiKeys.verify(create("a", "92"), null);

        apiKeys.usage().flush();
        clock.advance(Duration.ofHours(2));
        apiKeys.usage().flush();

        assertThat(purges.get()).isZero();
    }

    @Test
    void aLongOutageDropsTheOldestRowsAndSaysSoInOneLineAFlushNotOneARow() {
        UsageStore down = new DownUsageStore(new AtomicInteger());
        build(ApiKeys.builder().store(store).usageStore(down).hasher(dev.apikey.hash.Sha256Hasher.create()));
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(create("k" + i, "92"));
        }
        ch.qos.logback.classic.Logger usageLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("dev.apikey.usage");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        usageLog.addAppender(lines);
        usageLog.setAdditive(false); // the outage's own line a minute, 20,000 times, asserted here, not printed
        try {
            // Five rows a minute, one flush a minute: the cap of rows waiting is reached after 20,000 minutes.
            int minutes = UsageCounter.MAX_PENDING_ROWS / keys.size();
            for (int m = 0; m < minutes; m++) {
                keys.forEach(k -> apiKeys.verify(k, null));
                apiKeys.usage().flush();
                clock.advance(Duration.ofSeconds(20)); // three flushes a minute of the log's window
                keys.forEach(k -> apiKeys.verify(k, null));
                apiKeys.usage().flush();
                clock.advance(Duration.ofSeconds(40));
            }
            assertThat(lines.list).noneMatch(e -> e.getFormattedMessage().contains("dropped"));

            keys.forEach(k -> apiKeys.verify(k, null));
            apiKeys.usage().flush();
            List<String> dropped = lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("dropped")).toList();
            assertThat(dropped).as("one line for the flush's five rows dropped").containsExactly(
                    "usage store unavailable too long: dropped the oldest 5 rows (10 verifies) since the last such "
                            + "line, to keep at most 100000 rows waiting (at most one line a minute)");
            clock.advance(Duration.ofSeconds(20));
            keys.forEach(k -> apiKeys.verify(k, null));
            apiKeys.usage().flush();
            assertThat(lines.list).as("none more within the minute").filteredOn(e -> e.getFormattedMessage()
                    .contains("dropped")).hasSize(1);
        } finally {
            usageLog.setAdditive(true);
            usageLog.detachAppender(lines);
        }
    }

    @Test
    void sourceNetworksAreCountedBySlash24AndSlash48() {
        build();
        String a = create("a", "92");
        for (String address : List.of("10.0.0.1", "10.0.0.2", "10.0.0.200", "10.0.1.1", "2001:db8:1::1",
                "2001:db8:1:ffff::2", "[2001:0db8:0001:0:0:0:0:3]")) {
            apiKeys.verify(VerifyRequest.header(a).remoteAddress(address));
        }

        apiKeys.usage().flush();

        UsagePoint p = onlyMinute(UsageSubject.key(idOf(a)));
        assertThat(p.granted()).isEqualTo(7);
        assertThat(p.networks()).as("10.0.0/24, 10.0.1/24, 2001:db8:1/48").isEqualTo(3);
    }

    @Test
    void topListsRankATenantsKeysByCallsAndByRefusals() {
        build();
        String busy = create("busy", "92");
        String refused = create("refused", "92");
        String other = create("other", "7");
        for (int i = 0; i < 5; i++) {
            apiKeys.verify(busy, null);
            apiKeys.verify(other, null);
        }
        for (int i = 0; i < 3; i++) {
            apiKeys.verify(refused, "events:write");
        }
        apiKeys.usage().flush();
        Instant from = START.minusSeconds(3600);
        Instant to = START.plusSeconds(3600);

        assertThat(apiKeys.usage().top("92", from, to, UsageTotal.Rank.CALLS, 10)).containsExactly(
                new UsageTotal(idOf(busy), "92", 5, 0), new UsageTotal(idOf(refused), "92", 0, 3));
        assertThat(apiKeys.usage().top(null, from, to, UsageTotal.Rank.REFUSALS, 10))
                .containsExactly(new UsageTotal(idOf(refused), "92", 0, 3));
        assertThat(apiKeys.usage().top(null, from, to, UsageTotal.Rank.CALLS, 1)).extracting(UsageTotal::keyId)
                .containsExactly(idOf(busy).compareTo(idOf(other)) < 0 ? idOf(busy) : idOf(other));
    }

    @Test
    void bucketsOlderThanTheirRetentionAreDeleted() {
        build(ApiKeys.builder().store(store).usageRetention(Duration.ofHours(2), Duration.ofDays(2),
                Duration.ofDays(10)));
        String a = create("a", "92");
        apiKeys.verify(a, null);
        apiKeys.usage().flush();
        clock.advance(Duration.ofHours(3));
        apiKeys.verify(a, null);

        apiKeys.usage().flush();

        UsageSubject key = UsageSubject.key(idOf(a));
        assertThat(onlyMinute(key).total()).as("minutes of 3 hours ago").isZero();
        assertThat(apiKeys.usage().series(key, START, START.plusSeconds(1), UsageGrain.HOUR))
                .singleElement().extracting(UsagePoint::granted).isEqualTo(1L);
    }

    @Test
    void aSeriesRangeThatCannotBeAnsweredIsRefusedNamingTheRule() {
        build();
        Usage usage = apiKeys.usage();
        UsageSubject key = UsageSubject.key("AAAAAAAA");
        assertThatThrownBy(() -> usage.series(key, START, START, UsageGrain.MINUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("from must be before to");
        assertThatThrownBy(() -> usage.series(key, START, START.plus(Duration.ofDays(8)), UsageGrain.MINUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10080");
        assertThatThrownBy(() -> usage.series(key, Instant.parse("1969-12-31T00:00:00Z"), START, UsageGrain.DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("from and to must lie between 1970 and 9999");
        assertThatThrownBy(() -> usage.top(null, START, START.plusSeconds(1), UsageTotal.Rank.CALLS, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be 1 to 100, was 0");
        assertThatThrownBy(() -> UsageSubject.key("bad id!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keyId must be 8 letters or digits");
        assertThatThrownBy(() -> UsageGrain.parse("week"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bucket must be minute, hour or day");
    }

    @Test
    void withoutAUsageStoreOrWithCountingOffUsageIsUnsupported() {
        build(ApiKeys.builder().store(new CountingKeyStore()));
        assertThatThrownBy(() -> apiKeys.usage()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no usageStore was configured");
        apiKeys.close();
        build(ApiKeys.builder().store(store).usageCounting(false));
        assertThatThrownBy(() -> apiKeys.usage()).isInstanceOf(UnsupportedOperationException.class);
    }

    /** A usage store that is down: every write fails, reads find nothing, purges are counted. */
    private static final class DownUsageStore implements UsageStore {
        private final AtomicInteger purges;

        DownUsageStore(AtomicInteger purges) {
            this.purges = purges;
        }

        @Override
        public void addUsage(List<UsageCount> batch) {
            throw new KeyStoreException("database down", new java.io.IOException("refused"));
        }

        @Override
        public List<UsageCount> readUsage(UsageSubject s, UsageGrain g, Instant from, Instant to) {
            return List.of();
        }

        @Override
        public List<UsageTotal> topUsage(String t, UsageGrain g, Instant from, Instant to, UsageTotal.Rank r,
                int limit) {
            return List.of();
        }

        @Override
        public long purgeUsage(UsageGrain g, Instant before) {
            purges.incrementAndGet();
            return 0;
        }
    }
}
