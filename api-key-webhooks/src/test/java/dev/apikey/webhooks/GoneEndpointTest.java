package dev.apikey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A tenant's endpoint that answers {@code 410 Gone} (a real receiver on 127.0.0.1) is disabled in the store: neither
 * this channel nor another instance's over the same store delivers to it again, the tenant's other endpoint keeps
 * receiving, the disabling is logged once, and registering the URL again replaces it with an enabled endpoint.
 *
 * <p>Tenants' endpoints must be public https, so these are put in the store directly and delivered to with the
 * delivery-time address check off ({@code uncheckedDeliveryForTests}, package-private): the rest is the channel as
 * a host runs it.
 */
class GoneEndpointTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration BOUND = Duration.ofSeconds(20);

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TenantWebhooks registry = TenantWebhooks.builder(store).uncheckedDeliveryForTests().build();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger channelLog = (Logger) LoggerFactory.getLogger(WebhookChannel.class);

    @BeforeEach
    void listen() {
        log.start();
        channelLog.addAppender(log);
    }

    @AfterEach
    void stopListening() {
        channelLog.detachAppender(log);
    }

    private WebhookChannel channel() {
        return WebhookChannel.builder().tenantEndpoints(registry).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).build();
    }

    private long disabledLines() {
        return log.list.stream().filter(e -> e.getFormattedMessage().contains("answered 410 Gone to")).count();
    }

    @Test
    void anEndpointAnswering410IsDisabledForEveryInstanceAndLoggedOnce() {
        try (Receiver gone = new Receiver(0, n -> 410); Receiver ok = Receiver.ok();
                WebhookChannel first = channel(); WebhookChannel second = channel()) {
            WebhookEndpoint goneEndpoint = new WebhookEndpoint("wh_gonegonegonegone1", "92", gone.url(), SECRET,
                    Instant.now());
            store.insertWebhook(goneEndpoint);
            store.insertWebhook(new WebhookEndpoint("wh_okokokokokokokok1", "92", ok.url(), SECRET, Instant.now()));

            // Two events at once: both may reach the endpoint before either answer is read; it is disabled once.
            first.publish(new WebhookEvent("msg_1", "key.created", "92", "{}"));
            first.publish(new WebhookEvent("msg_2", "key.created", "92", "{}"));
            await().atMost(BOUND).until(() -> ok.requests.size() == 2 && store.findWebhooks("92").get(0).isDisabled());
            await().atMost(BOUND).until(() -> first.stats().gaveUp() == gone.arrived.get());
            int goneCalls = gone.arrived.get();
            assertThat(goneCalls).isBetween(1, 2);

            WebhookEndpoint disabled = store.findWebhooks("92").get(0);
            assertThat(disabled.webhookId()).isEqualTo(goneEndpoint.webhookId());
            assertThat(disabled.disabledReason()).isEqualTo("answered 410 Gone");
            assertThat(disabled.disabledAt()).isNotNull();
            assertThat(disabledLines()).as("logged once").isEqualTo(1);

            // This instance and another over the same store: the tenant's other endpoint only.
            first.publish(new WebhookEvent("msg_3", "key.revoked", "92", "{}"));
            second.publish(new WebhookEvent("msg_4", "key.revoked", "92", "{}"));
            await().atMost(BOUND).until(() -> ok.requests.size() == 4);
            assertThat(first.stats().delivered() + second.stats().delivered()).isEqualTo(4);
            assertThat(gone.arrived.get()).as("no delivery to a disabled endpoint").isEqualTo(goneCalls);
            assertThat(first.stats().retried()).as("410 is not retried").isZero();
            assertThat(disabledLines()).isEqualTo(1);
        }
    }

    @Test
    void registeringTheUrlAgainReplacesTheDisabledEndpoint() {
        WebhookEndpoint old = new WebhookEndpoint("wh_gonegonegonegone1", "92", "https://93.184.215.14/hooks", SECRET,
                Instant.now());
        store.insertWebhook(old);
        assertThat(registry.disable("92", old.webhookId(), TenantWebhooks.GONE_REASON)).isTrue();
        assertThat(registry.disable("92", old.webhookId(), TenantWebhooks.GONE_REASON)).as("once").isFalse();
        for (int i = 0; i < TenantWebhooks.MAX_PER_TENANT - 1; i++) {
            registry.register("92", "https://93.184.215.14/other-" + i);
        }

        WebhookEndpoint again = registry.register("92", old.url());

        assertThat(again.isDisabled()).isFalse();
        assertThat(again.secret()).isNotEqualTo(SECRET);
        assertThat(registry.list("92")).hasSize(TenantWebhooks.MAX_PER_TENANT).noneMatch(WebhookEndpoint::isDisabled)
                .extracting(WebhookEndpoint::webhookId).doesNotContain(old.webhookId()).contains(again.webhookId());
    }
}
