package dev.apikey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.Slf4jAuditListener;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
// README:webhook-receiver:imports:start
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
// README:webhook-receiver:imports:end
import org.junit.jupiter.api.Test;

/**
 * The receiver example of docs/WEBHOOKS.md, with the JDK alone (a receiver need not use this library): it accepts what
 * the channel sends over real HTTP, and refuses a changed body, another secret, and a timestamp outside the window.
 */
class ReceiverExampleTest {

    // README:webhook-receiver:start
    /** Checks a webhook as Standard Webhooks says: the signature, then the timestamp window. */
    static boolean authentic(String secret, String id, String timestamp, String signatures, byte[] body, Instant now)
            throws GeneralSecurityException {
        if (id == null || timestamp == null || signatures == null || !timestamp.matches("[0-9]{1,12}")
                || Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) > 300) {   // 5 minutes either way
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);   // the raw body, before any JSON parsing
        for (String signature : signatures.split(" ")) {   // several while a secret is replaced
            if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                return true;   // then skip an id already handled: a retry sends the same webhook-id
            }
        }
        return false;
    }
    // README:webhook-receiver:end

    private static final String SECRET = WebhookSigner.newSecret();
    private static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope("events:read", "Read events").build();

    @Test
    void acceptsWhatTheChannelSendsAndRefusesChangesOtherSecretsAndOldTimestamps() throws Exception {
        List<String> accepted = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/hooks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean ok;
            try {
                ok = authentic(SECRET, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body, Instant.now());
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
            if (ok) {
                accepted.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(ok ? 204 : 401, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        try {
            // README:webhook-channel:start
            WebhookChannel webhooks = WebhookChannel.builder()
                    .endpoint(url, SECRET)   // the host's own endpoint: every event
                    .build();
            ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(SCOPES)
                    .listener(webhooks.alongside(new Slf4jAuditListener()))   // keeps the audit log too
                    .hasher(Sha256Hasher.create()).build();
            // README:webhook-channel:end
            try (webhooks; apiKeys) {
                apiKeys.create(KeySpec.builder("ci").tenantId("92").scopes("events:read").build());
                await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() == 1);
                assertThat(accepted.get(0)).contains("\"type\":\"key.created\"");
            }
        } finally {
            receiver.stop(0);
        }

        WebhookSigner signer = new WebhookSigner(SECRET);
        long now = Instant.now().getEpochSecond();
        byte[] body = "{\"type\":\"key.revoked\"}".getBytes(StandardCharsets.UTF_8);
        String signature = signer.sign("msg_1", now, new String(body, StandardCharsets.UTF_8));
        assertThat(authentic(SECRET, "msg_1", Long.toString(now), signature, body, Instant.now())).isTrue();
        assertThat(authentic(SECRET, "msg_1", Long.toString(now), signature, "{}".getBytes(StandardCharsets.UTF_8),
                Instant.now())).as("changed body").isFalse();
        assertThat(authentic(WebhookSigner.newSecret(), "msg_1", Long.toString(now), signature, body, Instant.now()))
                .as("another secret").isFalse();
        assertThat(authentic(SECRET, "msg_1", Long.toString(now), signature, body, Instant.now().plusSeconds(301)))
                .as("too old").isFalse();
    }
}
