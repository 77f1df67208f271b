package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuditEventsTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    /** Writes each event as a line, for assertions. */
    static final class Recorder implements KeyEventListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void created(ApiKeyInfo key) {
            events.add("created " + key.keyId());
        }

        @Override
        public void rotated(ApiKeyInfo oldKey, ApiKeyInfo newKey) {
            events.add("rotated " + oldKey.keyId() + "->" + newKey.keyId());
        }

        @Override
        public void revoked(ApiKeyInfo key) {
            events.add("revoked " + key.keyId());
        }

        @Override
        public boolean wantsGrants() {
            return true;
        }

        @Override
        public void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
            events.add("verified " + principal.keyId() + " " + remoteAddress + " " + atEpochMillis);
        }

        @Override
        public void refused(Failure failure, String keyHint, String remoteAddress, long atEpochMillis) {
            events.add("refused " + failure.code() + " " + keyHint + " " + remoteAddress);
        }
    }

    @Test
    void everyLifecycleAndVerifyEventReachesTheListener() {
        Recorder recorder = new Recorder();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock).listener(recorder).build()) {
            IssuedKey key = apiKeys.create(KeySpec.builder("a").tenantId("92").scopes("events:read").build());
            String id = key.info().keyId();

            apiKeys.verify(VerifyRequest.header(key.plaintext()).scope("events:read").remoteAddress("192.0.2.1"));
            apiKeys.verify(VerifyRequest.header(key.plaintext()).scope("admin").remoteAddress("192.0.2.2"));
            apiKeys.verify(VerifyRequest.header("garbage").remoteAddress("192.0.2.3"));
            IssuedKey rotated = apiKeys.rotate(id, Duration.ofHours(1));
            apiKeys.revoke(rotated.info().keyId());
            apiKeys.revoke(rotated.info().keyId());

            assertThat(recorder.events).containsExactly(
                    "created " + id,
                    "verified " + id + " 192.0.2.1 " + clock.millis(),
                    "refused insufficient_scope wlcro_92_" + id + " 192.0.2.2",
                    "refused malformed_api_key null 192.0.2.3",
                    "rotated " + id + "->" + rotated.info().keyId(),
                    "revoked " + rotated.info().keyId());
            assertThat(recorder.events).as("a second revoke changes nothing and tells no one")
                    .filteredOn(e -> e.startsWith("revoked")).hasSize(1);
        }
    }

    @Test
    void failuresAreCountedPerCodeForMetrics() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build()) {
            String key = apiKeys.create(KeySpec.builder("a").scopes("events:read").build()).plaintext();
            apiKeys.verify(null, null);
            apiKeys.verify(null, null);
            apiKeys.verify(key, "admin");
            apiKeys.verify(key, "events:read");

            ApiKeyStats stats = apiKeys.stats();
            assertThat(stats.verifies()).containsEntry("missing_api_key", 2L).containsEntry("insufficient_scope", 1L)
                    .containsEntry("invalid_api_key", 0L).containsEntry("granted", 1L)
                    .hasSize(Failure.builtIns().size() + 1);
            assertThat(stats.refusals(Failure.MISSING_API_KEY)).isEqualTo(2);
            assertThat(stats.cacheHits() + stats.cacheMisses()).as("the two verifies of a well-formed key").isEqualTo(2);
            assertThat(stats.cacheMisses()).isEqualTo(1);
            assertThat(stats.loads()).isEqualTo(1);
            assertThat(stats.hashChecks()).isEqualTo(1);
            assertThat(stats.cacheSize()).isEqualTo(1);
        }
    }

    @Test
    void aThrowingListenerNeverBreaksVerifyOrLifecycle() {
        KeyEventListener broken = new KeyEventListener() {
            @Override
            public void created(ApiKeyInfo key) {
                throw new IllegalStateException("listener down");
            }

            @Override
            public boolean wantsGrants() {
                return true;
            }

            @Override
            public void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
                throw new IllegalStateException("listener down");
            }

            @Override
            public void refused(Failure failure, String keyHint, String remoteAddress, long atEpochMillis) {
                throw new IllegalStateException("listener down");
            }
        };
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).listener(broken).build()) {

            String key = apiKeys.create(KeySpec.builder("a").scopes("events:read").build()).plaintext();

            assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
            assertThat(apiKeys.verify(key, "admin").failure()).contains(Failure.INSUFFICIENT_SCOPE);
        }
    }

    @Test
    void theDefaultListenerWritesStructuredLines() {
        Logger audit = (Logger) LoggerFactory.getLogger("dev.apikey.audit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        audit.setLevel(Level.DEBUG);
        audit.addAppender(lines);
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).clock(clock).build()) {
            IssuedKey key = apiKeys.create(KeySpec.builder("a").tenantId("92").scopes("events:read").build());
            apiKeys.verify(VerifyRequest.header(key.plaintext()).scope("admin").remoteAddress("192.0.2.9"));
            apiKeys.verify(VerifyRequest.header(key.plaintext()).remoteAddress("192.0.2.9"));

            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "event=created key=" + key.info().hint() + " tenant=92 name=\"a\" scopes=[events:read] expires=null",
                    "event=refused key=" + key.info().hint() + " code=insufficient_scope addr=192.0.2.9 at="
                            + clock.instant(),
                    "event=granted key=" + key.info().hint() + " tenant=92 addr=192.0.2.9 at=" + clock.instant());
        } finally {
            audit.detachAppender(lines);
            audit.setLevel(null);
        }
    }
}
