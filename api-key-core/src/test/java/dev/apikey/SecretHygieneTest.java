package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.ApiKeyVerificationException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import dev.apikey.testkit.SecretLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** No plaintext secret or stored hash in any toString, exception message, or log line at TRACE. */
class SecretHygieneTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;

    @BeforeEach
    void captureEverything() {
        rootLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void restore() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void noSecretInAnyLogLineToStringOrExceptionAcrossEveryPath() {
        MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
        CountingKeyStore store = new CountingKeyStore();
        try (ApiKeys legacy = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).build()) {
            try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                    .hasher(TestKeys.cheapArgon2()).clock(clock).build()) {
                List<String> secrets = new ArrayList<>();
                List<Object> shown = new ArrayList<>();

                IssuedKey a = legacy.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build());
                IssuedKey b = apiKeys.create(KeySpec.builder("solo").scopes("admin").metadata("env", "prod")
                        .expiresAt(clock.instant().plusSeconds(60)).build());
                secrets.add(a.plaintext());
                secrets.add(b.plaintext());
                shown.add(a);
                shown.add(b);
                shown.add(a.info());

                shown.add(apiKeys.verify(a.plaintext(), "events:read"));
                shown.add(apiKeys.verify(a.plaintext(), "events:read").principal().orElseThrow());
                shown.add(apiKeys.verify(a.plaintext(), "webhooks:write"));
                shown.add(apiKeys.verify(VerifyRequest.header(a.plaintext()).scope("events:read").tenantId("93")));
                shown.add(apiKeys.verify(TestKeys.withSecret(a.plaintext(), "x".repeat(32)), null));
                shown.add(apiKeys.verify(TestKeys.withHead(a.plaintext(), "k_test"), null));
                shown.add(apiKeys.verify(a.plaintext() + "x", null));
                shown.add(apiKeys.verify(a.plaintext() + "\n", null));
                shown.add(apiKeys.verify("Basic " + a.plaintext(), null));
                try {
                    apiKeys.verifyOrThrow(b.plaintext(), null);
                    apiKeys.verifyOrThrow(a.plaintext(), "admin");
                } catch (ApiKeyVerificationException e) {
                    shown.add(e);
                }
                IssuedKey rotated = apiKeys.rotate(a.info().keyId(), Duration.ofHours(1));
                secrets.add(rotated.plaintext());
                shown.add(apiKeys.verify(rotated.plaintext(), null));
                shown.add(apiKeys.revoke(rotated.info().keyId()));
                shown.add(apiKeys.verify(rotated.plaintext(), null));
                clock.advance(Duration.ofMinutes(2));
                shown.add(apiKeys.verify(b.plaintext(), null));
                store.down = true;
                try (ApiKeys cold = ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES)
                        .hasher(TestKeys.cheapArgon2()).clock(clock).build()) {
                    shown.add(cold.verify(b.plaintext(), null));
                    try {
                        cold.create(KeySpec.builder("during-outage").scopes("admin").build());
                    } catch (RuntimeException e) {
                        shown.add(e);
                    }
                    store.down = false;
                    shown.addAll(TestKeys.all(store.delegate));
                    shown.add(apiKeys);

                    List<String> hashes = TestKeys.all(store.delegate).stream().map(k -> k.secretHash()).toList();
                    List<String> forbidden = new ArrayList<>(hashes);
                    for (String s : secrets) {
                        forbidden.add(s);
                        forbidden.add(TestKeys.secretOf(s));
                    }
                    assertThat(logs.list).as("the paths above log").hasSizeGreaterThan(10);
                    assertThat(logs.list.stream().map(ILoggingEvent::getLevel)).contains(Level.DEBUG, Level.INFO,
                            Level.WARN);
                    for (ILoggingEvent event : logs.list) {
                        assertThat(SecretLeakDetector.texts(event)).allSatisfy(t -> assertThat(t).doesNotContain(forbidden));
                    }
                    for (Object o : shown) {
                        assertThat(o.toString()).doesNotContain(forbidden);
                        if (o instanceof Throwable t) {
                            assertThat(String.valueOf(t.getMessage())).doesNotContain(forbidden);
                        }
                    }
                }
            }
        }
    }
}
