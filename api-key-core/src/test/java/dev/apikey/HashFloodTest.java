package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import dev.apikey.spi.SecretHasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The flood found by probing the demo: many threads of wrong secrets on a few known key ids kept every hash
 * slot busy, and valid keys on their first request got {@code overloaded}. With one stored-hash check per key
 * at a time, the flood holds at most one slot per attacked id; and since keys that failed a check lately get
 * at most half the slots, the rest stay free for everyone else.
 */
class HashFloodTest {

    /** A slow hash (30 ms, like a cheap Argon2) that records how many checks of each stored hash overlap. */
    static final class SlowHasher implements SecretHasher {
        final SecretHasher delegate = Sha256Hasher.create();
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final AtomicInteger mostPerKey = new AtomicInteger();
        final AtomicInteger total = new AtomicInteger();

        @Override
        public String algorithm() {
            return delegate.algorithm();
        }

        @Override
        public String hash(byte[] secret) {
            return delegate.hash(secret);
        }

        @Override
        public boolean verify(byte[] secret, String storedHash) {
            AtomicInteger n = inFlight.computeIfAbsent(storedHash, h -> new AtomicInteger());
            mostPerKey.accumulateAndGet(n.incrementAndGet(), Math::max);
            total.incrementAndGet();
            try {
                Thread.sleep(30);
                return delegate.verify(secret, storedHash);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                n.decrementAndGet();
            }
        }
    }

    @Test
    void validKeysGetThroughAFloodOfWrongSecretsOnOtherIds() throws Exception {
        SlowHasher hasher = new SlowHasher();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(hasher).hashConcurrency(2).hashQueueTimeout(Duration.ofMillis(50))
                .failedAttemptLimit(1_000_000)   // no throttle: this is about the hash slots alone
                // The change feed's first poll would see the creates below and reload the cached keys mid-flood; a
                // reloaded entry may start one more check beside the one still running on the entry it replaced.
                .changeFeedPollInterval(Duration.ofMinutes(1))
                .build()) {
            List<String> attacked = new ArrayList<>();
            List<String> valid = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                attacked.add(apiKeys.create(KeySpec.builder("attacked" + i).scopes("events:read").build()).plaintext());
            }
            // Five attacked ids queue five 30 ms checks for two slots: first come, first served alone would make
            // a valid key wait past the 50 ms queue timeout.
            for (int i = 0; i < 20; i++) {
                valid.add(apiKeys.create(KeySpec.builder("valid" + i).scopes("events:read").build()).plaintext());
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger attempts = new AtomicInteger();
            List<Future<?>> flood = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                // Each thread its own wrong secret: equal secrets would share one check anyway.
                String wrong = TestKeys.withSecret(attacked.get(t % attacked.size()), String.format("%032d", t));
                flood.add(pool.submit(() -> {
                    while (!stop.get()) {
                        apiKeys.verify(wrong, "events:read");
                        attempts.incrementAndGet();
                    }
                }));
            }
            Await.until("the flood is hashing", () -> hasher.total.get() > 20);

            List<Verification> firstRequests = new ArrayList<>();
            for (String key : valid) {
                firstRequests.add(apiKeys.verify(key, "events:read"));
            }
            stop.set(true);
            for (Future<?> f : flood) {
                f.get(10, TimeUnit.SECONDS);
            }

            assertThat(firstRequests).allSatisfy(v -> assertThat(v.isGranted()).as(v.toString()).isTrue());
            assertThat(hasher.mostPerKey.get()).as("stored-hash checks of one key at once").isEqualTo(1);
            assertThat(attempts.get()).isGreaterThan(32);
        } finally {
            pool.shutdownNow();
        }
    }
}
