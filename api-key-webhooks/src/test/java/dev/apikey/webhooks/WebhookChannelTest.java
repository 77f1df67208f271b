package dev.apikey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.json.KeyJson;
import dev.apikey.model.KeyNotice;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Delivery to a loopback receiver (host-configured endpoints may be loopback): a receiver that blocks, is down, is
 * slow or answers 500 never holds up the verify path or the calls that raise events, and gets the event later, each
 * attempt signed afresh under the same id; a full queue drops and counts; redirects are not followed.
 */
class WebhookChannelTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final WebhookSigner SIGNER = new WebhookSigner(SECRET);
    private static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events").build();
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static WebhookChannelBuilder channel(String url) {
        return WebhookChannel.builder().endpoint(url, SECRET).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static ApiKeys apiKeys(WebhookChannel channel) {
        return ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES)
                .hasher(Sha256Hasher.create()).listener(channel).build();
    }

    private static JsonNode verified(Receiver.Request r) {
        assertThat(SIGNER.verify(r.id(), r.timestamp(), r.signature(), r.body(), Instant.now(),
                WebhookSigner.DEFAULT_TOLERANCE)).as("signature of %s", r.id()).isTrue();
        return KeyJson.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), "a webhook body");
    }

    @Test
    void verifiesCompleteWhileTheReceiverHoldsEveryRequestAndTheEventsArriveAfter() throws Exception {
        try (Receiver receiver = Receiver.ok(); WebhookChannel webhooks = channel(receiver.url()).build();
                ApiKeys keys = apiKeys(webhooks)) {
            receiver.hold = new CountDownLatch(1);
            IssuedKey issued = keys.create(KeySpec.builder("ci").tenantId("92").scopes("events:read").build());
            IssuedKey rotated = keys.rotate(issued.info().keyId(), Duration.ofHours(1));
            await().atMost(BOUND).until(() -> receiver.arrived.get() >= 1);

            // The receiver now holds a delivery and answers nothing until released: verifies must not wait on it.
            CompletableFuture<Integer> verifies = CompletableFuture.supplyAsync(() -> {
                int granted = 0;
                for (int i = 0; i < 500; i++) {
                    granted += keys.verify(rotated.plaintext(), "events:read").isGranted() ? 1 : 0;
                    granted += keys.verify(issued.plaintext(), "events:read").isGranted() ? 1 : 0;
                }
                return granted;
            });
            assertThat(verifies.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
            keys.revoke(issued.info().keyId());
            assertThat(receiver.requests).as("nothing answered while held").isEmpty();

            receiver.hold.countDown();
            await().atMost(BOUND).until(() -> receiver.requests.size() == 3);
            List<String> types = receiver.requests.stream().map(r -> verified(r).get("type").asText()).toList();
            assertThat(types).containsExactlyInAnyOrder("key.created", "key.rotated", "key.revoked");
            JsonNode rotation = receiver.requests.stream().map(WebhookChannelTest::verified)
                    .filter(b -> b.get("type").asText().equals("key.rotated")).findFirst().orElseThrow();
            assertThat(rotation.at("/data/key/key_id").asText()).isEqualTo(rotated.info().keyId());
            assertThat(rotation.at("/data/previous/key_id").asText()).isEqualTo(issued.info().keyId());
            assertThat(receiver.requests).allSatisfy(r -> assertThat(r.body()).doesNotContain(issued.plaintext())
                    .doesNotContain(rotated.plaintext()));
            assertThat(webhooks.stats().delivered()).isEqualTo(3);
        }
    }

    /** Imported keys (issue 29, import29): one key.created each, after the batch; none for a dry run. */
    @Test
    void importedKeysAreSentAsCreatedOnceEachAfterTheBatchAndNoneForADryRun() {
        try (Receiver receiver = Receiver.ok(); WebhookChannel webhooks = channel(receiver.url()).build();
                ApiKeys keys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES)
                        .hasher(Sha256Hasher.create()).listener(webhooks.alongside(new dev.apikey.Slf4jAuditListener()))
                        .build()) {
            dev.apikey.model.Actor operator = new dev.apikey.model.Actor("cli",
                    dev.apikey.model.GrantCeiling.everything(), null);
            KeySpec spec = KeySpec.builder("old").tenantId("92").scopes("events:read").build();
            List<dev.apikey.KeyImport> lines = List.of(
                    dev.apikey.KeyImport.plaintext(1, "sk_live_webhook0000000000000001", spec, "c-1"),
                    dev.apikey.KeyImport.plaintext(2, "sk_live_webhook0000000000000002", spec, "c-2"));

            keys.manage(operator).importKeys(lines, dev.apikey.KeyImport.Mode.DRY_RUN);
            List<String> ids = keys.manage(operator).importKeys(lines, dev.apikey.KeyImport.Mode.BATCH).lines()
                    .stream().map(dev.apikey.ImportResult::keyId).toList();

            await().atMost(BOUND).until(() -> webhooks.stats().delivered() == 2);
            assertThat(receiver.requests.stream().map(WebhookChannelTest::verified)
                    .map(b -> b.get("type").asText() + " " + b.at("/data/key/key_id").asText()))
                    .containsExactlyInAnyOrder("key.created " + ids.get(0), "key.created " + ids.get(1));
            assertThat(receiver.requests).allSatisfy(r -> assertThat(r.body()).doesNotContain("sk_live_"));
        }
    }

    @Test
    void aReceiverAnswering500GetsTheEventOnALaterAttemptUnderTheSameId() {
        try (Receiver receiver = new Receiver(0, n -> n <= 2 ? 500 : 200);
                WebhookChannel webhooks = channel(receiver.url()).build(); ApiKeys keys = apiKeys(webhooks)) {
            keys.create(KeySpec.builder("ci").tenantId("92").scopes("events:read").build());
            await().atMost(BOUND).until(() -> webhooks.stats().delivered() == 1);
            assertThat(receiver.requests).hasSize(3).allSatisfy(WebhookChannelTest::verified)
                    .extracting(Receiver.Request::id).containsOnly(receiver.requests.get(0).id());
            assertThat(webhooks.stats()).isEqualTo(new WebhookStats(1, 2, 0, 0, 0));
        }
    }

    @Test
    void aReceiverThatIsDownGetsTheEventOnceItIsUp() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (WebhookChannel webhooks = channel("http://127.0.0.1:" + port + "/hooks").maxAttempts(30).build();
                ApiKeys keys = apiKeys(webhooks)) {
            keys.create(KeySpec.builder("ci").tenantId("92").scopes("events:read").build());
            await().atMost(BOUND).until(() -> webhooks.stats().retried() >= 2);
            assertThat(webhooks.stats().delivered()).isZero();
            try (Receiver receiver = new Receiver(port, n -> 204)) {
                await().atMost(BOUND).until(() -> webhooks.stats().delivered() == 1);
                assertThat(verified(receiver.requests.get(0)).get("type").asText()).isEqualTo("key.created");
            }
        }
    }

    @Test
    void aSlowReceiverIsCutOffByTheCallDeadlineAndTriedAgain() {
        try (Receiver receiver = new Receiver(0, n -> 204);
                WebhookChannel webhooks = channel(receiver.url())
                        .timeouts(Duration.ofMillis(500), Duration.ofMillis(500)).build()) {
            CountDownLatch slow = new CountDownLatch(1);
            receiver.hold = slow;
            webhooks.publish(new WebhookEvent("msg_slow1", "test.slow", null, "{}"));
            await().atMost(BOUND).until(() -> webhooks.stats().retried() >= 1);
            receiver.hold = new CountDownLatch(0);
            await().atMost(BOUND).until(() -> webhooks.stats().delivered() == 1);
            slow.countDown();
            assertThat(receiver.arrived.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingTheCaller() {
        try (Receiver receiver = Receiver.ok();
                WebhookChannel webhooks = channel(receiver.url()).workers(1).queueCapacity(2).build()) {
            receiver.hold = new CountDownLatch(1);
            webhooks.publish(new WebhookEvent("msg_first", "test.first", null, "{}"));
            await().atMost(BOUND).until(() -> receiver.arrived.get() == 1);
            for (int i = 0; i < 20; i++) {
                webhooks.publish(new WebhookEvent("msg_n" + i, "test.n", null, "{}"));
            }
            assertThat(webhooks.stats().dropped()).as("20 events, room for 2").isEqualTo(18);
            receiver.hold.countDown();
            await().atMost(BOUND).until(() -> webhooks.stats().delivered() == 3);
        }
    }

    @Test
    void retriesWaitingForTheirTimeAreAsManyAsTheQueueHoldsAndOneMoreIsDroppedAndCounted() {
        try (Receiver receiver = new Receiver(0, n -> 503);
                WebhookChannel webhooks = channel(receiver.url()).workers(1).queueCapacity(2)
                        .backoff(Duration.ofHours(1), Duration.ofHours(1)).build()) {
            for (int i = 1; i <= 4; i++) {
                webhooks.publish(new WebhookEvent("msg_down" + i, "test.down", null, "{}"));
                int sent = i;
                await().atMost(BOUND).until(() -> webhooks.stats().retried() + webhooks.stats().dropped() == sent);
            }
            assertThat(receiver.arrived.get()).as("each tried once").isEqualTo(4);
            assertThat(webhooks.stats()).as("two retries wait an hour; the next two are dropped")
                    .isEqualTo(new WebhookStats(0, 2, 0, 2, 0));
        }
    }

    @Test
    void aRedirectIsNotFollowedAndTheMessageIsGivenUp() {
        try (Receiver receiver = new Receiver(0, n -> 302); WebhookChannel webhooks = channel(receiver.url()).build()) {
            webhooks.publish(new WebhookEvent("msg_redirect", "test.redirect", null, "{}"));
            await().atMost(BOUND).until(() -> webhooks.stats().gaveUp() == 1);
            assertThat(receiver.requests).extracting(Receiver.Request::path).containsExactly("/hooks");
            assertThat(webhooks.stats().retried()).isZero();
        }
    }

    @Test
    void hygieneWarningsGoThroughTheSameChannel() {
        try (Receiver receiver = Receiver.ok(); WebhookChannel webhooks = channel(receiver.url()).build();
                ApiKeys keys = apiKeys(WebhookChannel.builder().build())) {
            IssuedKey issued = keys.create(KeySpec.builder("ci").tenantId("92").scopes("events:read").build());
            Instant due = Instant.parse("2027-01-01T00:00:00Z");
            webhooks.alongside(new dev.apikey.Slf4jAuditListener())
                    .warned(new KeyNotice(KeyNotice.Kind.EXPIRES, issued.info(), due, Duration.ofDays(7)));
            webhooks.warned(new KeyNotice(KeyNotice.Kind.ROTATE_BY, issued.info(), due, Duration.ofDays(30)));
            await().atMost(BOUND).until(() -> receiver.requests.size() == 2);
            assertThat(receiver.requests.stream().map(WebhookChannelTest::verified).map(b -> b.get("type").asText()
                    + " " + b.at("/data/due").asText() + " " + b.at("/data/horizon").asText()))
                    .containsExactlyInAnyOrder("key.expiring 2027-01-01T00:00:00Z PT168H",
                            "key.rotation_due 2027-01-01T00:00:00Z PT720H");
        }
    }

    @Test
    void anAnomalyIsDeliveredUnderAnIdDerivedFromItsOwnTheSameOnEveryInstance() {
        dev.apikey.model.Anomaly anomaly = dev.apikey.model.Anomaly.open(dev.apikey.model.Anomaly.Kind.REFUSAL_BURST,
                dev.apikey.model.UsageSubject.key("AbCd1234"), "92", Instant.parse("2026-12-03T10:00:00Z"),
                Instant.parse("2026-12-03T10:05:00Z"), 120, 3, null, Instant.parse("2026-12-03T10:05:01Z"));
        try (Receiver receiver = Receiver.ok(); WebhookChannel one = channel(receiver.url()).build();
                WebhookChannel other = channel(receiver.url()).build()) {
            one.anomaly(anomaly);
            other.anomaly(anomaly);
            await().atMost(BOUND).until(() -> receiver.requests.size() == 2);
            assertThat(receiver.requests).extracting(Receiver.Request::id).doesNotContainNull()
                    .containsOnly(receiver.requests.get(0).id());
            JsonNode body = verified(receiver.requests.get(0));
            assertThat(body.get("type").asText()).isEqualTo("anomaly.refusal_burst");
            assertThat(body.at("/data/anomaly/id").asText()).isEqualTo(anomaly.id());
            assertThat(body.at("/data/anomaly/observed").asLong()).isEqualTo(120);
        }
    }

    @Test
    void aRetryAfterLongerThanTheBackoffIsWaitedOut() {
        try (Receiver receiver = new Receiver(0, n -> n == 1 ? 503 : 204);
                WebhookChannel webhooks = channel(receiver.url()).build()) {
            webhooks.publish(new WebhookEvent("msg_later", "test.later", null, "{}"));
            await().atMost(BOUND).until(() -> webhooks.stats().delivered() == 1);
            // The backoff alone would have tried again within 20 ms; the receiver asked for a second.
            assertThat(receiver.times.get(1) - receiver.times.get(0)).isGreaterThanOrEqualTo(
                    Duration.ofMillis(900).toNanos());
            assertThat(webhooks.stats()).isEqualTo(new WebhookStats(1, 1, 0, 0, 0));
        }
    }
}
