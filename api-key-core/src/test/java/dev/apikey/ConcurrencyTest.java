package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Single-flight loads and revocation under concurrent verifies, with real threads. */
class ConcurrencyTest {

    private static final int THREADS = 16;

    private final CountingKeyStore store = new CountingKeyStore();
    private final CountingHasher hasher = new CountingHasher(TestKeys.cheapArgon2());
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    /** An instance over this test's counting store and hasher. */
    private ApiKeysBuilder builder() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher);
    }

    private String createHotKey(ApiKeys apiKeys) {
        return apiKeys.create(KeySpec.builder("hot").tenantId("7").scopes("events:read").build()).plaintext();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void concurrentMissesForOneKeyCauseOneStoreLoadAndOneHashVerify() throws Exception {
        try (ApiKeys apiKeys = builder().build()) {
            String key = createHotKey(apiKeys);
            CountDownLatch gate = new CountDownLatch(1);
            store.gate = gate;
            List<Thread> workers = new ArrayList<>();
            List<Future<Verification>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                results.add(pool.submit(() -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    return apiKeys.verify(key, "events:read");
                }));
            }
            // Release the one store lookup only once every verify is parked: one at the store, the rest on it.
            Await.until("one verify at the store and the rest parked on it",
                    () -> store.finds.get() == 1 && parked(workers) == THREADS);
            gate.countDown();

            for (Future<Verification> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            }
            assertThat(store.finds.get()).isEqualTo(1);
            assertThat(hasher.verifies.get()).isEqualTo(1);
        }
    }

    /** Whether the thread is parked (a verify waiting for the check in flight), not merely not yet finished. */
    private static boolean isWaiting(Thread t) {
        return t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    }

    private static int parked(List<Thread> workers) {
        synchronized (workers) {
            if (workers.size() < THREADS) {
                return -1;
            }
            return (int) workers.stream().filter(ConcurrencyTest::isWaiting).count();
        }
    }

    @Test
    void aWrongSecretDuringAColdVerifyDelaysTheRightOneByOneCheckAtMost() throws Exception {
        try (ApiKeys apiKeys = builder().hashQueueTimeout(Duration.ofSeconds(5)).build()) {
            String key = createHotKey(apiKeys);
            String wrong = TestKeys.withSecret(key, "q".repeat(32));

            // Hold the attacker's hash check, so the holder's verify arrives while it is in flight.
            CountDownLatch gate = new CountDownLatch(1);
            hasher.verifyGate = gate;
            Future<Verification> attacker = pool.submit(() -> apiKeys.verify(wrong, "events:read"));
            Await.until("the attacker's hash check started", () -> hasher.verifies.get() == 1);
            hasher.verifyGate = null;
            java.util.concurrent.atomic.AtomicReference<Thread> holderThread = new java.util.concurrent.atomic.AtomicReference<>();
            Future<Verification> holder = pool.submit(() -> {
                holderThread.set(Thread.currentThread());
                return apiKeys.verify(key, "events:read");
            });

            // One check per key at a time: the holder waits for the attacker's, it does not run beside it.
            Await.until("the holder waits for the check in flight", () -> isWaiting(holderThread.get()));
            assertThat(holder.isDone()).as("waiting for the check in flight").isFalse();
            assertThat(hasher.verifies.get()).isEqualTo(1);
            gate.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS).isGranted()).as("granted once it is its turn").isTrue();
            assertThat(attacker.get(10, TimeUnit.SECONDS).failure()).contains(Failure.INVALID_API_KEY);
            assertThat(apiKeys.verify(wrong, "events:read").failure()).contains(Failure.INVALID_API_KEY);
        }
    }

    @Test
    void aWrongSecretWaitingOnTheRightOnesCheckIsStillRefusedWhenItEnds() throws Exception {
        try (ApiKeys apiKeys = builder().hashQueueTimeout(Duration.ofSeconds(5)).build()) {
            String key = createHotKey(apiKeys);
            CountDownLatch gate = new CountDownLatch(1);
            hasher.verifyGate = gate;
            Future<Verification> holder = pool.submit(() -> apiKeys.verify(key, "events:read"));
            Await.until("the holder's hash check started", () -> hasher.verifies.get() == 1);
            hasher.verifyGate = null;
            java.util.concurrent.atomic.AtomicReference<Thread> attackerThread = new java.util.concurrent.atomic.AtomicReference<>();
            Future<Verification> attacker = pool.submit(() -> {
                attackerThread.set(Thread.currentThread());
                return apiKeys.verify(TestKeys.withSecret(key, "q".repeat(32)), "events:read");
            });
            Await.until("the attacker waits for the check in flight", () -> isWaiting(attackerThread.get()));
            assertThat(attacker.isDone()).as("waiting for the check in flight").isFalse();
            gate.countDown();

            // The holder's check publishes the right secret's digest; the waiting attacker is compared with it.
            assertThat(holder.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            assertThat(attacker.get(10, TimeUnit.SECONDS).failure()).contains(Failure.INVALID_API_KEY);
            assertThat(hasher.verifies.get()).isEqualTo(1);
        }
    }

    @Test
    void verifiesOfTheRightSecretDuringItsFirstCheckWaitForItAndAreAllGranted() throws Exception {
        try (ApiKeys apiKeys = builder().hashQueueTimeout(Duration.ofSeconds(5)).build()) {
            String key = createHotKey(apiKeys);
            CountDownLatch gate = new CountDownLatch(1);
            hasher.verifyGate = gate;
            Future<Verification> first = pool.submit(() -> apiKeys.verify(key, "events:read"));
            Await.until("the first hash check started", () -> hasher.verifies.get() == 1);
            hasher.verifyGate = null;
            List<Thread> waiting = new ArrayList<>();
            List<Future<Verification>> others = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                others.add(pool.submit(() -> {
                    synchronized (waiting) {
                        waiting.add(Thread.currentThread());
                    }
                    return apiKeys.verify(key, "events:read");
                }));
            }
            Await.until("the other four parked on the first check", () -> {
                synchronized (waiting) {
                    return waiting.size() == 4 && waiting.stream().allMatch(ConcurrencyTest::isWaiting);
                }
            });
            gate.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            for (Future<Verification> other : others) {
                assertThat(other.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            }
            assertThat(hasher.verifies.get()).as("one check for the five").isEqualTo(1);
        }
    }

    @Test
    void keysThatFailedACheckShareHalfTheSlotsAndLeaveTheRestToOthers() throws Exception {
        try (ApiKeys apiKeys = builder().hashConcurrency(2).hashQueueTimeout(Duration.ZERO).build()) {
            String attacked = createHotKey(apiKeys);
            String other = apiKeys.create(KeySpec.builder("other").tenantId("7").scopes("events:read").build())
                    .plaintext();
            String clean = apiKeys.create(KeySpec.builder("clean").tenantId("7").scopes("events:read").build())
                    .plaintext();
            // One failed check each, one after the other: both keys are suspect now.
            for (String key : List.of(attacked, other)) {
                assertThat(apiKeys.verify(TestKeys.withSecret(key, "a".repeat(32)), null).failure())
                        .contains(Failure.INVALID_API_KEY);
            }
            CountDownLatch gate = new CountDownLatch(1);
            hasher.verifyGate = gate;
            Future<Verification> held = pool.submit(
                    () -> apiKeys.verify(TestKeys.withSecret(attacked, "b".repeat(32)), null));
            Await.until("a suspect check holds a slot", () -> hasher.verifies.get() == 3);
            hasher.verifyGate = null;

            // A slot is free, but the suspects' half is taken...
            assertThat(apiKeys.verify(TestKeys.withSecret(other, "b".repeat(32)), null).failure())
                    .contains(Failure.OVERLOADED);
            // ...and the free slot is there for a key nobody attacked.
            assertThat(apiKeys.verify(clean, null).isGranted()).isTrue();
            gate.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS).failure()).contains(Failure.INVALID_API_KEY);
        }
    }

    @Test
    void aCheckHeldPastTheQueueTimeoutAnswersOverloadedNeverInvalid() throws Exception {
        try (ApiKeys apiKeys = builder().hashQueueTimeout(Duration.ofMillis(50)).build()) {
            String key = createHotKey(apiKeys);
            CountDownLatch gate = new CountDownLatch(1);
            hasher.verifyGate = gate;
            Future<Verification> attacker = pool.submit(
                    () -> apiKeys.verify(TestKeys.withSecret(key, "q".repeat(32)), "events:read"));
            Await.until("the attacker's hash check started", () -> hasher.verifies.get() == 1);
            hasher.verifyGate = null;

            assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.OVERLOADED);
            gate.countDown();
            attacker.get(10, TimeUnit.SECONDS);
            assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();
        }
    }

    @Test
    void everyVerifyThatStartsAfterARevokeReturnsSeesIt() throws Exception {
        try (ApiKeys apiKeys = builder().build()) {
            String key = createHotKey(apiKeys);
            String keyId = apiKeys.verify(key, null).principal().orElseThrow().keyId();
            AtomicBoolean revoked = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger grantedAfterRevoke = new AtomicInteger();
            AtomicInteger revokedSeen = new AtomicInteger();
            AtomicInteger verifies = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < THREADS - 1; i++) {
                workers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        boolean after = revoked.get();
                        Verification v = apiKeys.verify(key, "events:read");
                        verifies.incrementAndGet();
                        if (after && v.isGranted()) {
                            grantedAfterRevoke.incrementAndGet();
                        }
                        if (v.failure().filter(f -> f == Failure.REVOKED_API_KEY).isPresent()) {
                            revokedSeen.incrementAndGet();
                        }
                    }
                }));
            }
            Await.until("10,000 verifies before the revoke", () -> verifies.get() >= 10_000);
            apiKeys.revoke(keyId);
            revoked.set(true);
            int atRevoke = verifies.get();
            try {
                Await.until("10,000 verifies after the revoke", () -> verifies.get() >= atRevoke + 10_000);
            } finally {
                stop.set(true);
            }
            for (Future<?> w : workers) {
                w.get(10, TimeUnit.SECONDS);
            }

            assertThat(grantedAfterRevoke.get()).isZero();
            assertThat(revokedSeen.get()).isGreaterThan(0);
            assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
        }
    }

    @Test
    void revokeWhileALoadIsInFlightLeavesNoStaleGrantInTheCache() throws Exception {
        try (ApiKeys apiKeys = builder().cacheMaxStaleness(Duration.ofMinutes(10)).build()) {
            String key = createHotKey(apiKeys);
            String keyId = apiKeys.listAll().get(0).keyId();
            CountDownLatch gate = new CountDownLatch(1);
            store.gateAfterRead = gate;
            Future<Verification> early = pool.submit(() -> apiKeys.verify(key, "events:read"));
            Await.until("the early verify read the store", () -> store.finds.get() > 0);
            // The early load has read the unrevoked record and is held before caching it; revoke now.
            store.gateAfterRead = null;
            apiKeys.revoke(keyId);
            gate.countDown();
            early.get(10, TimeUnit.SECONDS);

            assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
        }
    }
}
