package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A flood of refusals writes a bounded number of audit lines and a summary; a listener still sees them all. */
class AuditLogBoundsTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger audit = (Logger) LoggerFactory.getLogger("dev.apikey.audit");

    @BeforeEach
    void capture() {
        logs.start();
        audit.setLevel(Level.INFO);
        audit.addAppender(logs);
    }

    @AfterEach
    void release() {
        audit.detachAppender(logs);
        audit.setLevel(null);
    }

    private List<String> lines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFloodOfUnknownIdsWritesAtMostTheBoundAndThenASummary() {
        MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
        AtomicInteger heard = new AtomicInteger();
        Slf4jAuditListener log = new Slf4jAuditListener();
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(Sha256Hasher.create()).clock(clock).negativeCacheTtl(Duration.ZERO)
                .listener(new dev.apikey.spi.KeyEventListener() {
                    @Override
                    public void refused(Failure failure, String keyHint, String remoteAddress, long at) {
                        heard.incrementAndGet();
                        log.refused(failure, keyHint, remoteAddress, at);
                    }
                }).build()) {
            String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
            for (int i = 0; i < 5_000; i++) {
                String id = id(i);
                String unknown = key.substring(0, 6) + id + key.substring(14, key.length() - 6);
                apiKeys.verify(unknown + KeyFormat.checksum(unknown), null);
            }
            assertThat(heard.get()).as("the listener hears every refusal").isEqualTo(5_000);
            assertThat(lines()).as("100 keys per code per window").hasSize(100)
                    .allSatisfy(l -> assertThat(l).startsWith("event=refused").contains("code=invalid_api_key"));

            clock.advance(Duration.ofMinutes(1));
            String again = key.substring(0, 6) + id(9_999) + key.substring(14, key.length() - 6);
            apiKeys.verify(again + KeyFormat.checksum(again), null);

            assertThat(lines()).hasSize(102);
            assertThat(lines().get(100)).startsWith("event=refusals_suppressed").endsWith(" invalid_api_key=4900");
            assertThat(lines().get(101)).startsWith("event=refused");
        }
    }

    @Test
    void oneKeysRepeatedRefusalIsWrittenOncePerWindow() {
        Slf4jAuditListener log = new Slf4jAuditListener(Duration.ofSeconds(10), 5);
        for (int i = 0; i < 1_000; i++) {
            log.refused(Failure.REVOKED_API_KEY, "wlcro_92_AAAAAAAA", "192.0.2.1", 1_000 + i);
        }
        log.refused(Failure.EXPIRED_API_KEY, "wlcro_92_AAAAAAAA", "192.0.2.1", 2_000);
        assertThat(lines()).hasSize(2);

        log.refused(Failure.REVOKED_API_KEY, "wlcro_92_AAAAAAAA", "192.0.2.1", 11_000);
        assertThat(lines()).hasSize(4);
        assertThat(lines().get(2)).endsWith(" revoked_api_key=999");
    }

    @Test
    void theBoundIsChecked() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Slf4jAuditListener(Duration.ZERO, 5))
                .withMessageStartingWith("window must be");
        assertThatIllegalArgumentException().isThrownBy(() -> new Slf4jAuditListener(Duration.ofMinutes(1), 0))
                .withMessageStartingWith("keysPerCode must be");
    }

    /** The n-th of distinct, well-formed key ids. */
    private static String id(int n) {
        return dev.apikey.internal.Base62.encode(n, 8);
    }
}
