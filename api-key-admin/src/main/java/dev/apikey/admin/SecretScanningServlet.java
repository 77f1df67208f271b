package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.spi.KeyStoreException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives GitHub secret-scanning partner alerts for this deployment's keys: GitHub finds a string that matches
 * the key pattern (from {@code apikey scanner-rules}) in a public repository, gist or npm package and posts
 * {@code [{"token", "type", "url", "source"}]}, signed with ECDSA P-256 over SHA-256.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(SecretScanningServlet.builder(apiKeys)
 *         .publicKeysFrom(SecretScanningServlet.GITHUB_KEYS).build()), "/github/secret-scanning");
 * }</pre>
 *
 * <p>A request whose signature does not verify with a configured key, by its
 * {@code Github-Public-Key-Identifier}, is refused with 401 and changes nothing. Each reported token that is one of
 * our keys (well-formed, known key id, its secret matching the stored hash; see {@link ApiKeys#reportLeak}) is
 * revoked, or only flagged if the host chose {@link Builder#flagOnly()}, with a {@code leaked} event naming the
 * URL where it was found. The answer lists each token as {@code true_positive} or {@code false_positive} by its
 * SHA-256 ({@code token_hash}): the raw token is never echoed or logged.
 *
 * <p>Thread-safe. Fields are {@code transient}: a container never serializes it usefully.
 */
public final class SecretScanningServlet extends HttpServlet {

    /** Where GitHub publishes the keys that sign its alerts. */
    public static final URI GITHUB_KEYS = URI.create("https://api.github.com/meta/public_keys/secret_scanning");

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SecretScanningServlet.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.apikey.admin.audit");
    private static final ObjectMapper JSON = AdminJson.MAPPER;
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_TOKENS = 1000;
    private static final int MAX_URL = 2000;
    /** An unknown key identifier refetches the key list at most this often. */
    private static final Duration REFETCH_EVERY = Duration.ofMinutes(1);
    /**
     * How long a fetched key list is trusted: an alert after that fetches it again first, so that a key GitHub has
     * withdrawn stops verifying within a day (while the list cannot be fetched, the keys known are kept).
     */
    static final Duration KEYS_MAX_AGE = Duration.ofHours(24);

    private final transient ApiKeys apiKeys;
    private final transient boolean revoke;
    private final transient URI keysUrl;
    private final transient HttpClient http;
    private final transient Clock clock;
    private final transient Map<String, PublicKey> configured;
    private final transient BodyReader bodies;
    private final transient String problemTypeBase;
    private transient volatile Map<String, PublicKey> fetched = Map.of();
    private transient volatile long lastFetchMillis = Long.MIN_VALUE;
    /** When {@link #fetched} was last loaded whole from {@link #keysUrl}; {@code Long.MIN_VALUE} before that. */
    private transient volatile long loadedMillis = Long.MIN_VALUE;

    private SecretScanningServlet(Builder b) {
        this.apiKeys = b.apiKeys;
        this.revoke = b.revoke;
        this.keysUrl = b.keysUrl;
        this.http = b.keysUrl == null ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.clock = b.clock;
        this.configured = Map.copyOf(b.keys);
        this.problemTypeBase = b.problemTypeBase;
        this.bodies = new BodyReader(b.bodyLimits, b.problemTypeBase);
    }

    /**
     * Starts configuring the servlet for an {@link ApiKeys}.
     *
     * @param apiKeys the keys to answer for
     * @return a builder
     */
    public static Builder builder(ApiKeys apiKeys) {
        return new Builder(apiKeys);
    }

    /** Configures a {@link SecretScanningServlet}. Not thread-safe. */
    public static final class Builder {
        private final ApiKeys apiKeys;
        private final Map<String, PublicKey> keys = new HashMap<>();
        private URI keysUrl;
        private boolean revoke = true;
        private Clock clock = Clock.systemUTC();
        private BodyLimits bodyLimits = BodyLimits.defaults();
        private String problemTypeBase = dev.apikey.ProblemTypes.DEFAULT_BASE;

        private Builder(ApiKeys apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        }

        /**
         * A key that signs alerts, as GitHub lists it.
         *
         * @param keyIdentifier the {@code key_identifier}, 1 to 200 of {@code [0-9A-Za-z_-]}
         * @param pem           the P-256 public key in PEM ({@code -----BEGIN PUBLIC KEY-----})
         * @return this builder
         * @throws IllegalArgumentException if the identifier breaks its rule or the PEM is not a P-256 public key
         */
        public Builder publicKey(String keyIdentifier, String pem) {
            keys.put(requireIdentifier(keyIdentifier), parsePem(Objects.requireNonNull(pem, "pem")));
            return this;
        }

        /**
         * Loads the signing keys from this URL (GitHub's: {@link #GITHUB_KEYS}): on the first alert, and again when
         * an alert names a key not known yet or the keys were loaded more than a day ago (at most once a minute), so
         * that a key GitHub withdraws stops verifying; while the URL cannot be read, the keys known are kept. Each
         * fetch times out after 5 s.
         *
         * @param url an {@code https} URL ({@code http} only for loopback, for tests)
         * @return this builder
         * @throws IllegalArgumentException if the URL is neither
         */
        public Builder publicKeysFrom(URI url) {
            Objects.requireNonNull(url, "url");
            boolean loopback = "http".equals(url.getScheme())
                    && ("127.0.0.1".equals(url.getHost()) || "localhost".equals(url.getHost()));
            if (!"https".equals(url.getScheme()) && !loopback) {
                throw new IllegalArgumentException("url must be https (http only for loopback), was " + url);
            }
            this.keysUrl = url;
            return this;
        }

        /**
         * Only flags reported keys (a {@code leaked} event, WARN in the audit log) instead of revoking them.
         *
         * @return this builder
         */
        public Builder flagOnly() {
            this.revoke = false;
            return this;
        }

        /**
         * The clock that paces refetches of the key list; default the system's.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The base of every problem's {@code type}, followed by its code; default
         * {@value dev.apikey.ProblemTypes#DEFAULT_BASE}.
         *
         * @param base the base ({@link dev.apikey.ProblemTypes#requireBase})
         * @return this builder
         * @throws IllegalArgumentException naming the rule the base breaks
         */
        public Builder problemTypeBase(String base) {
            this.problemTypeBase = dev.apikey.ProblemTypes.requireBase(base);
            return this;
        }

        /**
         * How long and how slowly an alert may arrive, and how many at once; default {@link BodyLimits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder bodyLimits(BodyLimits limits) {
            this.bodyLimits = Objects.requireNonNull(limits, "bodyLimits");
            return this;
        }

        /**
         * {@return the servlet}
         *
         * @throws IllegalStateException if no key and no key URL was given
         */
        public SecretScanningServlet build() {
            if (keys.isEmpty() && keysUrl == null) {
                throw new IllegalStateException("SecretScanningServlet needs a publicKey or publicKeysFrom");
            }
            return new SecretScanningServlet(this);
        }
    }

    /** Stops the timer that answers bodies past their deadline. */
    @Override
    public void destroy() {
        bodies.close();
        super.destroy();
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        bodies.read(req, resp, MAX_BODY_BYTES, body -> answer(req, resp, body));
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp, byte[] body) throws IOException {
        try {
            verifySignature(req.getHeader("Github-Public-Key-Identifier"), req.getHeader("Github-Public-Key-Signature"),
                    body);
            JsonNode alerts = parse(body);
            ArrayNode answer = JSON.createArrayNode();
            int ours = 0;
            // One report per distinct token: an alert naming a token many times (up to its 1,000 entries) writes
            // one leak event, not one per copy; every entry is still labelled.
            Map<String, Optional<ApiKeyInfo>> reported = new HashMap<>();
            for (JsonNode alert : alerts) {
                String token = alert.path("token").asText();
                String url = alert.path("url").isTextual() ? url(alert.path("url").asText()) : null;
                Optional<ApiKeyInfo> key = reported.computeIfAbsent(token, t -> report(t, url));
                ours += key.isPresent() ? 1 : 0;
                answer.addObject().put("token_hash", sha256(token)).put("token_type", alert.path("type").asText())
                        .put("label", key.isPresent() ? "true_positive" : "false_positive");
            }
            AUDIT.info("event=secret_scanning_alert tokens={} ours={} response={}", alerts.size(), ours,
                    revoke ? "revoke" : "flag");
            resp.setStatus(200);
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            JSON.writeValue(resp.getOutputStream(), answer);
        } catch (AdminProblem p) {
            p.write(resp, problemTypeBase);
        } catch (KeyStoreException e) {
            LOG.warn("secret-scanning alert not answered, the key store failed: {}", e.toString());
            resp.setHeader("Retry-After", "60");
            new AdminProblem(503, "store_unavailable", "Key store unavailable",
                    "the key store failed; send the alert again later").write(resp, problemTypeBase);
        }
    }

    private Optional<ApiKeyInfo> report(String token, String url) {
        try {
            return apiKeys.reportLeak(token, url, revoke);
        } catch (IllegalArgumentException e) {
            // The URL is where the token was found, named by whoever published the file: one a key's history may not
            // hold (a key-shaped file name, say) is left out, never the report or the tokens after it.
            return apiKeys.reportLeak(token, null, revoke);
        }
    }

    private void verifySignature(String keyId, String signature, byte[] body) {
        if (keyId == null || signature == null) {
            throw unsigned("the alert must carry Github-Public-Key-Identifier and Github-Public-Key-Signature");
        }
        PublicKey key = key(keyId.strip());
        if (key == null) {
            throw unsigned("no known public key has the identifier in Github-Public-Key-Identifier");
        }
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initVerify(key);
            ecdsa.update(body);
            if (ecdsa.verify(Base64.getDecoder().decode(signature.strip()))) {
                return;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.debug("alert signature unreadable: {}", e.toString());
        }
        throw unsigned("Github-Public-Key-Signature does not verify over the body with that key");
    }

    private static AdminProblem unsigned(String detail) {
        return new AdminProblem(401, "invalid_signature", "Invalid signature", detail);
    }

    /**
     * The key for an identifier: configured, or fetched; fetched again (at most once a minute) if it is new or the list
     * was loaded more than {@link #KEYS_MAX_AGE} ago.
     */
    private PublicKey key(String keyId) {
        PublicKey key = configured.get(keyId);
        if (key != null || keysUrl == null) {
            return key;
        }
        long now = clock.millis();
        long loaded = loadedMillis;
        boolean stale = loaded == Long.MIN_VALUE || now - loaded >= KEYS_MAX_AGE.toMillis() || now < loaded;
        if (stale || fetched.get(keyId) == null) {
            synchronized (this) {
                if (lastFetchMillis == Long.MIN_VALUE || now - lastFetchMillis >= REFETCH_EVERY.toMillis()
                        || now < lastFetchMillis) {
                    lastFetchMillis = now;
                    fetched = fetchKeys(now);
                }
            }
        }
        return fetched.get(keyId);
    }

    /** GitHub's shape: {@code {"public_keys": [{"key_identifier", "key", "is_current"}]}}. */
    private Map<String, PublicKey> fetchKeys(long now) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(keysUrl).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warn("secret-scanning public keys from {}: HTTP {}; keeping the ones known", keysUrl,
                        response.statusCode());
                return fetched;
            }
            Map<String, PublicKey> keys = new HashMap<>();
            for (JsonNode k : JSON.readTree(response.body()).path("public_keys")) {
                keys.put(requireIdentifier(k.path("key_identifier").asText()), parsePem(k.path("key").asText()));
            }
            LOG.info("loaded {} secret-scanning public keys from {}", keys.size(), keysUrl);
            loadedMillis = now;
            return Map.copyOf(keys);
        } catch (IOException | RuntimeException e) {
            LOG.warn("secret-scanning public keys from {} unreadable; keeping the ones known: {}", keysUrl, e.toString());
            return fetched;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fetched;
        }
    }

    private static JsonNode parse(byte[] body) {
        JsonNode alerts = AdminJson.parse(body, "a JSON array of {token, type, url, source}");
        if (!alerts.isArray()) {
            throw AdminProblem.badRequest("the body must be a JSON array of {token, type, url, source}");
        }
        if (alerts.size() > MAX_TOKENS) {
            throw AdminProblem.badRequest("an alert may report at most " + MAX_TOKENS + " tokens");
        }
        for (JsonNode alert : alerts) {
            if (!alert.path("token").isTextual() || alert.path("token").asText().length() > 1000) {
                throw AdminProblem.badRequest("each entry needs a token: a string of at most 1000 characters");
            }
        }
        return alerts;
    }

    /** The URL if it is printable ASCII within 2,000 characters, for the event and the log; else none. */
    private static String url(String text) {
        if (text.isEmpty() || text.length() > MAX_URL || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return null;
        }
        return text;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String requireIdentifier(String keyIdentifier) {
        Objects.requireNonNull(keyIdentifier, "keyIdentifier");
        if (!keyIdentifier.matches("[0-9A-Za-z_-]{1,200}")) {
            throw new IllegalArgumentException("keyIdentifier must be 1 to 200 of [0-9A-Za-z_-]");
        }
        return keyIdentifier;
    }

    private static PublicKey parsePem(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("pem must be a P-256 public key");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("pem must be a P-256 public key in PEM (BEGIN PUBLIC KEY)");
        }
    }
}
