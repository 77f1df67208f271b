package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No verify waits without a deadline for work another verify is doing: past it, the answer is {@code overloaded}
 * (503, Retry-After), never a verdict on the key. The bounds here are generous: they catch a wait that never ends,
 * and say nothing about speed.
 */
class VerifyDeadlinesTest {

    /** Far beyond every deadline of the verify path; reached only by a wait without one. */
    private static final Duration HUNG = Duration.ofSeconds(60);

    private final CountingKeyStore store = new CountingKeyStore();
    private final CountingHasher hasher = new CountingHasher(TestKeys.cheapArgon2());
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseAndStop() {
        release.countDown();
        pool.shutdownNow();
    }

    private ApiKeys apiKeys() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(hasher)
                .hashQueueTimeout(Duration.ZERO).build();
    }

    @Test
    void theSameSecretWaitingOnAHashCheckThatHangsIsAnsweredOverloaded() throws Exception {
        try (ApiKeys apiKeys = apiKeys()) {
            String key = apiKeys.create(KeySpec.builder("hot").scopes("events:read").build()).plaintext();
            hasher.verifyGate = release;
            Future<Verification> first = pool.submit(() -> apiKeys.verify(key, "events:read"));
            Await.until("the first hash check started", () -> hasher.verifies.get() == 1);

            Verification second = assertTimeoutPreemptively(HUNG, () -> apiKeys.verify(key, "events:read"),
                    "the second verify waited for the hung check without a deadline");

            assertThat(second.failure()).contains(Failure.OVERLOADED);
            assertThat(second.failedCheck()).contains(Check.SECRET);
            assertThat(second.retryAfter()).isPresent();
            assertThat(hasher.verifies.get()).as("the second did not hash beside the first").isEqualTo(1);
            hasher.verifyGate = null;
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
            assertThat(apiKeys.verify(key, "events:read").isGranted()).as("the key is fine once the check ended")
                    .isTrue();
        }
    }

    @Test
    void aVerifyWaitingOnAStoreLoadThatHangsIsAnsweredOverloaded() throws Exception {
        try (ApiKeys writer = apiKeys(); ApiKeys cold = apiKeys()) {
            String key = writer.create(KeySpec.builder("cold").scopes("events:read").build()).plaintext();
            store.gate = release;
            Future<Verification> first = pool.submit(() -> cold.verify(key, "events:read"));
            Await.until("the first verify is at the store", () -> store.finds.get() == 1);

            Verification second = assertTimeoutPreemptively(HUNG, () -> cold.verify(key, "events:read"),
                    "the second verify waited for the hung load without a deadline");

            assertThat(second.failure()).contains(Failure.OVERLOADED);
            assertThat(second.failedCheck()).contains(Check.KEY_EXISTS);
            assertThat(store.finds.get()).as("one load for the two").isEqualTo(1);
            store.gate = null;
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).isGranted()).isTrue();
        }
    }
}
