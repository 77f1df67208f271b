package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a request costs the store when it cannot help (issue 30): a failing load is not retried on every request nor
 * logged every time, and made-up key ids (the checksum is public) are metered per network and in total, with real
 * keys' first loads kept ahead of them.
 */
class StoreLoadFloodTest {

    private final MutableClock clock = MutableClock.at("2026-12-03T10:00:00Z");
    private final CountingKeyStore store = new CountingKeyStore();
    private final Logger verifyLog = (Logger) LoggerFactory.getLogger("dev.apikey.verify");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        verifyLog.addAppender(lines);
        verifyLog.setAdditive(false);
        verifyLog.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        verifyLog.detachAppender(lines);
        verifyLog.setAdditive(true);
        verifyLog.setLevel(null);
    }

    private ApiKeysBuilder builder() {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).clock(clock);
    }

    /** A well-formed key of tenant 92 with a random key id and secret. */
    private static String madeUp() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder token = new StringBuilder("wlcro_92_");
        for (int i = 0; i < KeyFormat.KEY_ID_LENGTH + KeyFormat.SECRET_LENGTH; i++) {
            token.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(62)));
        }
        return TestKeys.withChecksum(token.toString());
    }

    @Test
    void aFailingLoadIsTriedAtMostOnceASecondAndLoggedAtMostOnceAMinute() {
        try (ApiKeys apiKeys = builder().build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            store.down = true;
            int findsBefore = store.finds.get();
            for (int i = 0; i < 200; i++) {
                assertThat(apiKeys.verify(key, null).failure()).contains(Failure.STORE_UNAVAILABLE);
            }
            assertThat(store.finds.get() - findsBefore).isEqualTo(1);
            clock.advance(Duration.ofMillis(1_001));
            for (int i = 0; i < 200; i++) {
                assertThat(apiKeys.verify(key, null).failure()).contains(Failure.STORE_UNAVAILABLE);
            }
            assertThat(store.finds.get() - findsBefore).isEqualTo(2);
            assertThat(lines.list).hasSize(1);
            assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
            assertThat(lines.list.get(0).getFormattedMessage()).contains("at most one line a minute");

            clock.advance(Duration.ofSeconds(61));
            apiKeys.verify(key, null);
            assertThat(lines.list).hasSize(2);

            store.down = false;
            clock.advance(Duration.ofMillis(1_001));
            assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
        }
    }

    @Test
    void madeUpKeyIdsFromOneNetworkAreAnsweredWithoutAQueryOnceItsAllowanceIsSpent() {
        try (ApiKeys apiKeys = builder().unknownIdLimits(10, 1_000).build()) {
            int before = store.finds.get();
            int refusedUnknown = 0;
            int throttled = 0;
            for (int i = 0; i < 500; i++) {
                Verification v = apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("198.51.100." + (i % 250)));
                if (v.failure().orElseThrow() == Failure.INVALID_API_KEY) {
                    refusedUnknown++;
                } else {
                    assertThat(v.failure()).contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
                    assertThat(v.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(1),
                            Duration.ofSeconds(6)));
                    throttled++;
                }
            }
            // One /24: ten look-ups, then none until the allowance refills (a tenth of it every 6 s).
            assertThat(store.finds.get() - before).isEqualTo(10);
            assertThat(refusedUnknown).isEqualTo(10);
            assertThat(throttled).isEqualTo(490);
            clock.advance(Duration.ofSeconds(6));
            assertThat(apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("198.51.100.7")).failure())
                    .contains(Failure.INVALID_API_KEY);
            assertThat(store.finds.get() - before).isEqualTo(11);
            // Another network is not held by this one's flood.
            assertThat(apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("203.0.113.5")).failure())
                    .contains(Failure.INVALID_API_KEY);
        }
    }

    @Test
    void realKeysFromCleanNetworksStillLoadWhenAFloodHasSpentTheTotal() {
        try (ApiKeys apiKeys = builder().unknownIdLimits(100, 50).build()) {
            String real = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            int before = store.finds.get();
            for (int i = 0; i < 100; i++) {
                apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("10.0.0." + i));
            }
            // The total allows 50 look-ups a minute; a network with unknown ids on its record may not take its last
            // tenth, which is kept for networks with a clean record.
            assertThat(store.finds.get() - before).isEqualTo(45);
            assertThat(apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("10.0.0.9")).failure())
                    .contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
            // A real key's first load, from a network that sent no made-up id, goes ahead, and gives its token back.
            assertThat(apiKeys.verify(VerifyRequest.header(real).remoteAddress("192.0.2.10")).isGranted()).isTrue();
            assertThat(store.finds.get() - before).isEqualTo(46);
        }
    }

    @Test
    void aRealKeyGivesItsNetworksLookUpBackAndACachedKeyIsNeverMetered() {
        try (ApiKeys apiKeys = builder().unknownIdLimits(2, 1_000).build()) {
            String real = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            for (int i = 0; i < 5; i++) {
                // Each minute of staleness reloads the key: it exists, so the look-up is given back.
                assertThat(apiKeys.verify(VerifyRequest.header(real).remoteAddress("192.0.2.10")).isGranted()).isTrue();
                clock.advance(Duration.ofSeconds(61));
            }
            apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("192.0.2.11"));
            apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("192.0.2.12"));
            assertThat(apiKeys.verify(VerifyRequest.header(madeUp()).remoteAddress("192.0.2.13")).failure())
                    .contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
            // The key is cached: its network's spent allowance does not touch it.
            assertThat(apiKeys.verify(VerifyRequest.header(real).remoteAddress("192.0.2.10")).isGranted()).isTrue();
        }
    }

    @Test
    void aColdCacheOfRealKeysSpendsNoAllowanceEvenWithoutCallerAddresses() {
        try (ApiKeys apiKeys = builder().unknownIdLimits(5, 10).build()) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                keys.add(apiKeys.create(KeySpec.builder("k" + i).scopes("events:read").build()).plaintext());
            }
            for (String key : keys) {
                assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
            }
            // Without an address only the total meters made-up ids, as a caller without a clean record: nine of its
            // ten look-ups (the tenth is kept for clean networks), then none.
            int before = store.finds.get();
            for (int i = 0; i < 20; i++) {
                apiKeys.verify(madeUp(), null);
            }
            assertThat(store.finds.get() - before).isEqualTo(9);
            assertThat(apiKeys.verify(madeUp(), null).failure()).contains(Failure.TOO_MANY_FAILED_ATTEMPTS);
        }
    }
}
