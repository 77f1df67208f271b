package dev.apikey.admin;
// README:leaks:imports:start
import dev.apikey.admin.ScannerVerifyServlet;
import dev.apikey.admin.SecretScanningServlet;
// README:leaks:imports:end

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.testkit.ReadClock;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GitHub secret-scanning alerts over real HTTP (Jetty), signed with P-256 keys the test generates: a good
 * signature revokes (or flags) our leaked keys and labels every token; a bad one changes nothing.
 */
class SecretScanningServletTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEAK_URL = "https://github.com/octo/app/blob/main/.env";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build()).hasher(Sha256Hasher.create())
            .listener(new KeyEventListener() {
                @Override
                public void leaked(ApiKeyInfo key, String source, boolean revoked) {
                    leaks.add(key.keyId() + " " + source + " " + revoked);
                }
            }).build();
    private final KeyPair github = p256();
    private final AtomicInteger keyFetches = new AtomicInteger();
    private volatile String publishedKeys = "{\"public_keys\":[]}";
    private Server server;
    private String base;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        apiKeys.close();
    }

    static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static String sign(KeyPair pair, String body) throws Exception {
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(pair.getPrivate());
        ecdsa.update(body.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ecdsa.sign());
    }

    void start(SecretScanningServlet servlet) throws Exception {
        start(servlet, false);
    }

    void start(SecretScanningServlet servlet, boolean async) throws Exception {
        server = Jetty.start(context -> {
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(async);
            context.addServlet(holder, "/github/secret-scanning");
        });
        base = "http://127.0.0.1:" + Jetty.port(server);
    }

    HttpResponse<String> alert(String keyId, String signature, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/github/secret-scanning"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (keyId != null) {
            b.header("Github-Public-Key-Identifier", keyId);
        }
        if (signature != null) {
            b.header("Github-Public-Key-Signature", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String body(String... tokens) throws Exception {
        List<Object> entries = new ArrayList<>();
        for (String t : tokens) {
            entries.add(java.util.Map.of("token", t, "type", "wlcro_api_key", "url", LEAK_URL, "source", "content"));
        }
        return JSON.writeValueAsString(entries);
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLeakUrlAKeysHistoryMayNotHoldIsLeftOutAndEveryTokenOfTheAlertIsStillAnswered() throws Exception {
        // The URL is the path of the file the token was found in, which whoever publishes the file names: a path
        // holding a key-shaped name made the report throw, and the tokens after it went unanswered (500 blocking; an
        // empty 200, which GitHub does not retry, with async support).
        for (boolean async : new boolean[] {false, true}) {
            start(SecretScanningServlet.builder(apiKeys).publicKey("gh-1", pem(github)).build(), async);
            String a = apiKeys.create(KeySpec.builder("a").scopes("events:read").build()).plaintext();
            String b = apiKeys.create(KeySpec.builder("b").scopes("events:read").build()).plaintext();
            String c = apiKeys.create(KeySpec.builder("c").scopes("events:read").build()).plaintext();
            String body = JSON.writeValueAsString(List.of(
                    java.util.Map.of("token", a, "type", "wlcro_api_key", "url", LEAK_URL, "source", "content"),
                    java.util.Map.of("token", b, "type", "wlcro_api_key",
                            "url", "https://github.com/octo/app/blob/main/" + b + ".txt", "source", "content"),
                    java.util.Map.of("token", c, "type", "wlcro_api_key", "url", LEAK_URL, "source", "content")));

            HttpResponse<String> r = alert("gh-1", sign(github, body), body);

            assertThat(r.statusCode()).as("async " + async).isEqualTo(200);
            JsonNode labels = JSON.readTree(r.body());
            assertThat(labels).as("async " + async).hasSize(3);
            labels.forEach(l -> assertThat(l.path("label").asText()).isEqualTo("true_positive"));
            for (String key : List.of(a, b, c)) {
                assertThat(apiKeys.verify(key, "events:read").failure()).as("async " + async)
                        .contains(Failure.REVOKED_API_KEY);
            }
            assertThat(leaks).as("the key-shaped URL is left out of b's leak event").anySatisfy(
                    l -> assertThat(l).endsWith(" null true"));
            assertThat(String.join("\n", leaks)).doesNotContain(b);
            server.stop();
            leaks.clear();
        }
    }

    @Test
    void aTokenNamedManyTimesInOneAlertIsReportedOnceAndEveryEntryLabelled() throws Exception {
        start(SecretScanningServlet.builder(apiKeys).publicKey("gh-1", pem(github)).build());
        String key = apiKeys.create(KeySpec.builder("leaked").scopes("events:read").build()).plaintext();
        String body = body(key, key, "wlcro_not_a_key", key);

        HttpResponse<String> r = alert("gh-1", sign(github, body), body);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode labels = JSON.readTree(r.body());
        assertThat(labels).hasSize(4);
        assertThat(labels.findValuesAsText("label"))
                .containsExactly("true_positive", "true_positive", "false_positive", "true_positive");
        assertThat(leaks).as("one leak event for the key, not one per copy").hasSize(1);
        assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
    }

    @Test
    void aSignedAlertRevokesOurLeakedKeyAndLabelsEveryToken() throws Exception {
        start(SecretScanningServlet.builder(apiKeys).publicKey("gh-1", pem(github)).build());
        String leaked = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build()).plaintext();
        String bystander = apiKeys.create(KeySpec.builder("other").scopes("events:read").build()).plaintext();
        String lookAlike = "wlcro_92_AAAAAAAA" + "x".repeat(40);
        String body = body(leaked, lookAlike);

        HttpResponse<String> answer = alert("gh-1", sign(github, body), body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode labels = JSON.readTree(answer.body());
        assertThat(labels).hasSize(2);
        assertThat(labels.get(0).path("token_hash").asText()).isEqualTo(sha256(leaked));
        assertThat(labels.get(0).path("label").asText()).isEqualTo("true_positive");
        assertThat(labels.get(0).path("token_type").asText()).isEqualTo("wlcro_api_key");
        assertThat(labels.get(1).path("label").asText()).isEqualTo("false_positive");
        assertThat(answer.body()).as("the raw token is never echoed").doesNotContain(leaked);
        assertThat(apiKeys.verify(leaked, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
        assertThat(apiKeys.verify(bystander, "events:read").isGranted()).isTrue();
        String keyId = apiKeys.keyFormat().parse(leaked).orElseThrow().keyId();
        assertThat(leaks).containsExactly(keyId + " " + LEAK_URL + " true");
        // The key's history: the report, then its revoke, in one write (issue 26 §3).
        assertThat(apiKeys.history().ofKey(keyId)).extracting(e -> e.type().jsonName() + " " + e.details())
                .containsExactly("revoked {reason=leaked}", "leak_reported {action=revoked, source=" + LEAK_URL + "}",
                        "created {}");
    }

    @Test
    void aBadSignatureIsRefusedAndChangesNothing() throws Exception {
        start(SecretScanningServlet.builder(apiKeys).publicKey("gh-1", pem(github)).build());
        String leaked = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build()).plaintext();
        String body = body(leaked);
        KeyPair forger = p256();

        List<HttpResponse<String>> refused = List.of(alert("gh-1", sign(forger, body), body),
                alert("gh-1", sign(github, body), body(leaked, leaked)), alert("gh-2", sign(github, body), body),
                alert(null, null, body), alert("gh-1", "not base64 !", body));

        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("invalid_signature");
            assertThat(r.body()).doesNotContain(leaked);
        }
        assertThat(apiKeys.verify(leaked, "events:read").isGranted()).isTrue();
        assertThat(leaks).isEmpty();
    }

    @Test
    void flagOnlyKeepsTheKeyWorkingAndSendsTheEvent() throws Exception {
        start(SecretScanningServlet.builder(apiKeys).publicKey("gh-1", pem(github)).flagOnly().build());
        String leaked = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build()).plaintext();
        String body = body(leaked);

        assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(200);

        assertThat(apiKeys.verify(leaked, "events:read").isGranted()).isTrue();
        assertThat(leaks).hasSize(1).allSatisfy(l -> assertThat(l).endsWith(LEAK_URL + " false"));
    }

    @Test
    void keysAreLoadedFromTheUrlAndANewIdentifierRefetchesThemAtMostOnceAMinute() throws Exception {
        Server keyList = keyList();
        try {
            AtomicLong millis = new AtomicLong(1_000_000);
            String body = startFetchingGh1(keyList, millis);

            assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(200);
            assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(200);
            assertThat(keyFetches).hasValue(1);

            KeyPair rotated = p256();
            publishedKeys = keysJson(List.of("gh-1", "gh-2"), List.of(github, rotated));
            assertThat(alert("gh-2", sign(rotated, body), body).statusCode()).as("within the minute").isEqualTo(401);
            millis.addAndGet(Duration.ofSeconds(61).toMillis());
            assertThat(alert("gh-2", sign(rotated, body), body).statusCode()).isEqualTo(200);
            assertThat(alert("gh-9", sign(rotated, body), body).statusCode()).isEqualTo(401);
            assertThat(keyFetches).hasValue(2);
        } finally {
            keyList.stop();
        }
    }

    @Test
    void aKeyGitHubWithdrewStopsVerifyingOnceTheListIsADayOldAndAnUnreadableListKeepsTheKeysKnown() throws Exception {
        Server keyList = keyList();
        try {
            AtomicLong millis = new AtomicLong(1_000_000);
            String body = startFetchingGh1(keyList, millis);
            assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(200);

            // GitHub withdraws gh-1. Known keys are not fetched again for a day...
            KeyPair rotated = p256();
            publishedKeys = keysJson(List.of("gh-2"), List.of(rotated));
            millis.addAndGet(SecretScanningServlet.KEYS_MAX_AGE.minusSeconds(1).toMillis());
            assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(200);
            assertThat(keyFetches).hasValue(1);
            // ...and then they are, before one is trusted: the withdrawn key no longer verifies.
            millis.addAndGet(Duration.ofSeconds(1).toMillis());
            assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(401);
            assertThat(keyFetches).hasValue(2);
            assertThat(alert("gh-2", sign(rotated, body), body).statusCode()).isEqualTo(200);

            // A day later the list cannot be read: the keys known are kept, and it is tried again after a minute.
            publishedKeys = null;
            millis.addAndGet(SecretScanningServlet.KEYS_MAX_AGE.toMillis());
            assertThat(alert("gh-2", sign(rotated, body), body).statusCode()).isEqualTo(200);
            assertThat(alert("gh-2", sign(rotated, body), body).statusCode()).isEqualTo(200);
            assertThat(keyFetches).as("one failed fetch within the minute").hasValue(3);
            millis.addAndGet(Duration.ofSeconds(61).toMillis());
            assertThat(alert("gh-2", sign(rotated, body), body).statusCode()).isEqualTo(200);
            assertThat(keyFetches).hasValue(4);
        } finally {
            keyList.stop();
        }
    }

    /**
     * Starts the servlet on the clock {@code millis} reads, fetching from {@code keyList}, which publishes gh-1.
     *
     * @return an alert's body that names no key of ours
     */
    private String startFetchingGh1(Server keyList, AtomicLong millis) throws Exception {
        publishedKeys = keysJson(List.of("gh-1"), List.of(github));
        start(SecretScanningServlet.builder(apiKeys).clock(ReadClock.of(() -> Instant.ofEpochMilli(millis.get())))
                .publicKeysFrom(keysUrl(keyList)).build());
        return body("wlcro_nothing");
    }

    /** A key list at GitHub's path that counts its fetches and answers 503 while {@link #publishedKeys} is null. */
    private Server keyList() throws Exception {
        return Jetty.start(context -> context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                keyFetches.incrementAndGet();
                String keys = publishedKeys;
                if (keys == null) {
                    resp.setStatus(503);
                    return;
                }
                resp.setContentType("application/json");
                resp.getWriter().write(keys);
            }
        }), "/meta/public_keys/secret_scanning"));
    }

    private static URI keysUrl(Server keyList) {
        return URI.create("http://127.0.0.1:" + Jetty.port(keyList) + "/meta/public_keys/secret_scanning");
    }

    @Test
    void theReadmeMountAnswersAlertsAndChecksums() throws Exception {
        Server keyList = Jetty.start(context -> context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("application/json");
                resp.getWriter().write(publishedKeys);
            }
        }), "/keys"));
        try {
            publishedKeys = keysJson(List.of("gh-1"), List.of(github));
            URI githubKeys = URI.create("http://127.0.0.1:" + Jetty.port(keyList) + "/keys");
            server = Jetty.start(context -> {
                // README:leaks:start
                SecretScanningServlet alerts = SecretScanningServlet.builder(apiKeys)
                        .publicKeysFrom(githubKeys)     // SecretScanningServlet.GITHUB_KEYS in production
                        .build();                       // .flagOnly() to flag reported keys instead of revoking
                context.addServlet(new ServletHolder(alerts), "/github/secret-scanning");
                // TruffleHog's checksum check: apikey scanner-rules --verify-url https://<host>/scanner/verify
                context.addServlet(new ServletHolder(new ScannerVerifyServlet(apiKeys.keyFormat())), "/scanner/verify");
                // README:leaks:end
            });
            base = "http://127.0.0.1:" + Jetty.port(server);
            String leaked = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build()).plaintext();
            String body = body(leaked);

            assertThat(alert("gh-1", sign(github, body), body).statusCode()).isEqualTo(200);
            assertThat(apiKeys.verify(leaked, "events:read").failure()).contains(Failure.REVOKED_API_KEY);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/scanner/verify"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"d\":{\"key\":[\"" + leaked + "\"]}}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        } finally {
            keyList.stop();
        }
    }

    static String keysJson(List<String> ids, List<KeyPair> pairs) throws Exception {
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            keys.add(java.util.Map.of("key_identifier", ids.get(i), "key", pem(pairs.get(i)), "is_current", true));
        }
        return JSON.writeValueAsString(java.util.Map.of("public_keys", keys));
    }

    @Test
    void badSettingsAndBodiesAreRefusedNamingTheRule() throws Exception {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretScanningServlet.builder(apiKeys).publicKey("gh 1", pem(github)))
                .withMessage("keyIdentifier must be 1 to 200 of [0-9A-Za-z_-]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretScanningServlet.builder(apiKeys).publicKey("gh-1", "-----BEGIN PUBLIC KEY-----"))
                .withMessageStartingWith("pem must be a P-256 public key");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretScanningServlet.builder(apiKeys).publicKeysFrom(URI.create("http://example.com/k")))
                .withMessageStartingWith("url must be https");
        assertThatIllegalStateException().isThrownBy(() -> SecretScanningServlet.builder(apiKeys).build())
                .withMessageContaining("needs a publicKey or publicKeysFrom");

        start(SecretScanningServlet.builder(apiKeys).publicKey("gh-1", pem(github)).build());
        // Signed but past the JSON limits: 5,000 nested arrays, a token named twice.
        for (String bad : List.of("{\"token\":\"x\"}", "[{\"type\":\"t\"}]", "not json", "[".repeat(5000),
                "[{\"token\":\"a\",\"token\":\"b\"}]")) {
            HttpResponse<String> r = alert("gh-1", sign(github, bad), bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("malformed_request");
        }
    }
}
