package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import dev.apikey.spi.StoredKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Rehash-on-verify and corrupt stored hashes, through ApiKeys. */
class HashPolicyTest {

    private final CountingKeyStore store = new CountingKeyStore();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger hashLog = (Logger) LoggerFactory.getLogger("dev.apikey.hash");

    @BeforeEach
    void capture() {
        logs.start();
        hashLog.setLevel(Level.TRACE);
        hashLog.addAppender(logs);
    }

    @AfterEach
    void release() {
        hashLog.detachAppender(logs);
        hashLog.setLevel(null);
    }

    @Test
    void aHashOfAnOlderPolicyIsUpgradedAfterTheNextSuccessfulVerify() {
        try (ApiKeys before = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            IssuedKey issued = before.create(KeySpec.builder("legacy").scopes("events:read").build());
            String keyId = issued.info().keyId();
            assertThat(store.delegate.findById(keyId).orElseThrow().secretHash()).startsWith("$sha256$");

            try (ApiKeys after = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                    .hasher(Argon2idHasher.owaspMinimum()).build()) {
                assertThat(after.verify(TestKeys.withSecret(issued.plaintext(), "e".repeat(32)), null).isGranted()).isFalse();
                assertThat(store.delegate.findById(keyId).orElseThrow().secretHash()).startsWith("$sha256$");

                assertThat(after.verify(issued.plaintext(), null).isGranted()).isTrue();
                Await.until("the upgraded hash is stored", () -> store.delegate.findById(keyId).orElseThrow()
                        .secretHash().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));

                try (ApiKeys fresh = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).build()) {
                    assertThat(fresh.verify(issued.plaintext(), null).isGranted()).isTrue();
                }
            }
        }
    }

    @Test
    void theDefaultIsSha256AndStoredArgon2HashesKeepVerifyingAndUpgrade() {
        try (ApiKeys slow = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build();
                ApiKeys byDefault = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).build()) {
            IssuedKey old = slow.create(KeySpec.builder("argon").scopes("events:read").build());
            IssuedKey fresh = byDefault.create(KeySpec.builder("new").scopes("events:read").build());
            assertThat(store.delegate.findById(fresh.info().keyId()).orElseThrow().secretHash()).startsWith("$sha256$");
            assertThat(store.delegate.findById(old.info().keyId()).orElseThrow().secretHash()).startsWith("$argon2id$");

            assertThat(byDefault.verify(old.plaintext(), null).isGranted()).isTrue();

            Await.until("upgraded after the verify", () -> store.delegate.findById(old.info().keyId()).orElseThrow()
                    .secretHash().startsWith("$sha256$"));
            assertThat(byDefault.verify(fresh.plaintext(), null).isGranted()).isTrue();
        }
    }

    @Test
    void aVerifyIsAnsweredWhileItsHashUpgradeWaitsForTheStore() throws Exception {
        try (ApiKeys slow = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build();
                ApiKeys upgrading = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).build()) {
            IssuedKey old = slow.create(KeySpec.builder("argon").scopes("events:read").build());
            String keyId = old.info().keyId();
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            store.replaceHashGate = gate;
            try {
                // The store write of the upgrade hangs; the verify that matched the old hash does not wait for it.
                Verification v = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(60), () -> upgrading.verify(old.plaintext(), null),
                        "the verify waited for the hash upgrade's store write");
                assertThat(v.isGranted()).isTrue();
                assertThat(upgrading.verify(old.plaintext(), null).isGranted()).as("and the next one").isTrue();
                assertThat(store.delegate.findById(keyId).orElseThrow().secretHash()).startsWith("$argon2id$");
            } finally {
                gate.countDown();
            }
            Await.until("the upgrade lands once the store answers",
                    () -> store.delegate.findById(keyId).orElseThrow().secretHash().startsWith("$sha256$"));
            assertThat(store.hashReplacements.get()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptStoredHashVerifiesAsInvalidAndIsLoggedByKeyIdOnly() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build()) {
            IssuedKey issued = apiKeys.create(KeySpec.builder("doomed").scopes("events:read").build());
            String keyId = issued.info().keyId();
            String garbage = "$argon2id$v=19$m=19456,t=2,p=1$bm90IGEgc2FsdA$garbage!";
            KeyLifecycle.rehash(store.delegate, keyId, store.delegate.findById(keyId).orElseThrow().secretHash(), garbage,
                    "garbage", java.time.Instant.now());
            try (ApiKeys reader = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                    .hasher(TestKeys.cheapArgon2()).build()) {

                Verification v = reader.verify(issued.plaintext(), null);

                assertThat(v.failure()).contains(Failure.INVALID_API_KEY);
                assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(keyId).contains("corrupt"));
                assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("garbage"));
            }
        }
    }

    @Test
    void aStoredHashOfAnUnknownAlgorithmVerifiesAsInvalid() {
        StoredKey unknown = StoredKey.builder("AAAAAAAA").secretHash("$bcrypt$whatever")
                .attributes(KeySpec.builder("odd").scopes("admin").build()).createdAt(java.time.Instant.parse("2026-01-01T00:00:00Z")).build();
        store.delegate.insert(unknown);
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build()) {

            Verification v = apiKeys.verify(TestKeys.withChecksum("wlcro_AAAAAAAA" + "x".repeat(32)), null);

            assertThat(v.failure()).contains(Failure.INVALID_API_KEY);
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("AAAAAAAA")
                    .contains("unknown format"));
        }
    }
}
