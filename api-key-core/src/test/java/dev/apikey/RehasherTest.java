package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.SecretHasher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Hash upgrades off the request path: queued, run on the scheduler, bounded, and leaving no secret behind. */
class RehasherTest {

    private final CountingKeyStore store = new CountingKeyStore();
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final RecordingHasher current = new RecordingHasher();
    private final HashPolicy policy = new HashPolicy(current, List.of(TestKeys.cheapArgon2()));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger hashLog = (Logger) LoggerFactory.getLogger("dev.apikey.hash");
    /** Runs nothing until the test does: what a busy scheduler looks like. */
    private final List<Runnable> submitted = new ArrayList<>();
    private final List<Key> keys = new ArrayList<>();

    /** A key with an Argon2id hash, which the SHA-256 policy upgrades. */
    private record Key(String id, String hash, byte[] secret) {
    }

    @BeforeEach
    void setUp() {
        logs.start();
        hashLog.setLevel(Level.INFO);
        hashLog.addAppender(logs);
        try (ApiKeys argon = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build()) {
            for (int i = 0; i < 4; i++) {
                IssuedKey issued = argon.create(KeySpec.builder("k" + i).scopes("events:read").build());
                String id = issued.info().keyId();
                keys.add(new Key(id, store.delegate.findById(id).orElseThrow().secretHash(),
                        TestKeys.secretOf(issued.plaintext()).getBytes(StandardCharsets.US_ASCII)));
            }
        }
    }

    @AfterEach
    void release() {
        hashLog.detachAppender(logs);
        hashLog.setLevel(null);
    }

    private String storedHash(Key key) {
        return store.delegate.findById(key.id).orElseThrow().secretHash();
    }

    @Test
    void theUpgradedHashLandsOnTheSchedulerAndTheSecretCopyIsZeroed() throws Exception {
        ExecutorService scheduler = Executors.newSingleThreadExecutor();
        try (Rehasher rehasher = new Rehasher(store, policy, scheduler, clock, 10)) {
            Key key = keys.get(0);
            byte[] callers = key.secret.clone();

            assertThat(rehasher.offer(key.id, key.hash, callers)).isTrue();

            Await.until("the upgrade is stored", () -> storedHash(key).startsWith("$sha256$"));
            assertThat(policy.verify(key.id, key.secret, storedHash(key))).as("the new hash verifies").isTrue();
            assertThat(callers).as("the caller's array is its own").isEqualTo(key.secret);
            assertThat(current.hashed).hasSize(1);
            Await.until("the queued copy is zeroed", () -> isZero(current.hashed.get(0)));
            assertThat(current.hashed.get(0)).as("a copy, not the caller's").isNotSameAs(callers);
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFullQueueDropsTheUpgradeAndLogsOnceAMinute() {
        try (Rehasher rehasher = new Rehasher(store, policy, submitted::add, clock, 2)) {
            assertThat(rehasher.offer(keys.get(0).id, keys.get(0).hash, keys.get(0).secret)).isTrue();
            assertThat(rehasher.offer(keys.get(1).id, keys.get(1).hash, keys.get(1).secret)).isTrue();

            assertThat(rehasher.offer(keys.get(2).id, keys.get(2).hash, keys.get(2).secret)).as("full").isFalse();
            assertThat(rehasher.offer(keys.get(3).id, keys.get(3).hash, keys.get(3).secret)).as("full").isFalse();

            assertThat(rehasher.queued()).isEqualTo(2);
            assertThat(warnings()).as("one line a minute").hasSize(1);
            assertThat(warnings().get(0)).contains("queue full", keys.get(2).id, "1 dropped so far");
            clock.advance(java.time.Duration.ofMinutes(1));
            assertThat(rehasher.offer(keys.get(3).id, keys.get(3).hash, keys.get(3).secret)).isFalse();
            assertThat(warnings()).hasSize(2);
            assertThat(warnings().get(1)).contains(keys.get(3).id, "3 dropped so far");
            assertThat(logs.list).allSatisfy(e -> {
                for (Key k : keys) {
                    assertThat(e.getFormattedMessage()).doesNotContain(new String(k.secret, StandardCharsets.US_ASCII));
                }
            });

            // One upgrade per run, each run submitting the next: the queued two land, the dropped two do not.
            runSubmitted();
            assertThat(storedHash(keys.get(0))).startsWith("$sha256$");
            assertThat(storedHash(keys.get(1))).startsWith("$sha256$");
            assertThat(storedHash(keys.get(2))).isEqualTo(keys.get(2).hash);
            assertThat(storedHash(keys.get(3))).isEqualTo(keys.get(3).hash);
            assertThat(current.hashed).hasSize(2).allSatisfy(copy -> assertThat(isZero(copy)).isTrue());
        }
    }

    @Test
    void closeDiscardsWhatIsQueuedAndTakesNoMore() {
        Rehasher rehasher = new Rehasher(store, policy, submitted::add, clock, 10);
        assertThat(rehasher.offer(keys.get(0).id, keys.get(0).hash, keys.get(0).secret)).isTrue();
        assertThat(rehasher.offer(keys.get(1).id, keys.get(1).hash, keys.get(1).secret)).isTrue();

        rehasher.close();
        rehasher.close();

        assertThat(rehasher.queued()).isZero();
        assertThat(rehasher.offer(keys.get(2).id, keys.get(2).hash, keys.get(2).secret)).as("after close").isFalse();
        runSubmitted();
        assertThat(current.hashed).as("nothing hashed after close").isEmpty();
        assertThat(store.hashReplacements.get()).as("nothing written after close").isZero();
        assertThat(rehasher.queued()).isZero();
        assertThat(keys).allSatisfy(k -> assertThat(storedHash(k)).isEqualTo(k.hash));
    }

    @Test
    void aStoppedSchedulerDropsTheUpgradeInsteadOfKeepingIt() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        try (Rehasher rehasher = new Rehasher(store, policy, stopped, clock, 10)) {
            rehasher.offer(keys.get(0).id, keys.get(0).hash, keys.get(0).secret);
            assertThat(rehasher.queued()).isZero();
            assertThat(storedHash(keys.get(0))).isEqualTo(keys.get(0).hash);
        }
    }

    private void runSubmitted() {
        for (int i = 0; i < submitted.size(); i++) {
            submitted.get(i).run();
        }
        submitted.clear();
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** SHA-256, keeping the very arrays it was asked to hash, so the test can see that they were zeroed after. */
    private static final class RecordingHasher implements SecretHasher {
        final SecretHasher delegate = Sha256Hasher.create();
        final List<byte[]> hashed = new CopyOnWriteArrayList<>();

        @Override
        public String algorithm() {
            return delegate.algorithm();
        }

        @Override
        public String hash(byte[] secret) {
            hashed.add(secret);
            return delegate.hash(secret);
        }

        @Override
        public boolean verify(byte[] secret, String storedHash) {
            return delegate.verify(secret, storedHash);
        }

        @Override
        public boolean isWellFormed(String storedHash) {
            return delegate.isWellFormed(storedHash);
        }

        @Override
        public boolean needsRehash(String storedHash) {
            return delegate.needsRehash(storedHash);
        }
    }
}
