package dev.apikey.parity;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.LocalMeter;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.SecretHasher;
import dev.apikey.spi.Spend;
import dev.apikey.spi.TenantStore;
import dev.apikey.testkit.ReadClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one {@link ApiKeys} every adapter is started with, and the means to put a key in any state a case needs: a
 * store that fails for chosen key ids, a meter that fails for allowances named {@link #METER_DOWN}, a policy that
 * throws for keys with metadata {@code policy=throw}, a clock the suite moves, and a hash slot it can hold.
 *
 * <p>Each case makes its own keys, so the cases do not share caches, counts or throttles.
 */
final class Fixture {

    /** The environment's prefix. */
    static final String PREFIX = "wlcro";
    /** The allowance name the meter fails for. */
    static final String METER_DOWN = "meter-down";
    /** The tenant of the keys; a path naming {@link #OTHER_TENANT} is another tenant's resource. */
    static final String TENANT = "92";
    static final String OTHER_TENANT = "93";

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events").scope("events:write", "Send test events")
            .superScope("admin", "Everything").build();

    /** The routes every adapter serves, in the servlet filter's syntax; gRPC maps the first two to methods. */
    static final List<String> ROUTES = List.of("GET /api/v1/events -> events:read",
            "POST /api/v1/events/test -> events:write", "GET /api/v1/tenants/{tenantId}/events -> events:read");

    private final Set<String> storeDownFor = ConcurrentHashMap.newKeySet();
    private final AtomicInteger hashGate = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);
    /** Counted down by the holding verify once it is in the hasher. */
    private volatile CountDownLatch reached = new CountDownLatch(0);
    private volatile Instant now = Instant.parse("2026-12-03T10:00:00Z");
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parity-hash-holder");
        t.setDaemon(true);
        return t;
    });
    private Future<?> holder;
    final ApiKeys apiKeys;
    private final String otherEnvironmentKey;

    Fixture() {
        InMemoryKeyStore memory = new InMemoryKeyStore();
        // The store's tenant records and change feed too, so that tenant cases (suspended, plan) work as on a store.
        KeyStore store = (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(),
                new Class<?>[] {KeyStore.class, TenantStore.class, ChangeFeed.class,
                    dev.apikey.spi.KeyDigestLookup.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findById") && args != null && storeDownFor.contains(args[0])) {
                        throw new KeyStoreException("connection refused (simulated)", null);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        apiKeys = ApiKeys.builder().prefix(PREFIX).store(store).scopes(SCOPES).hasher(gatedHasher()).clock(clock())
                .legacyFormat(dev.apikey.model.LegacyFormat.digest("parity-legacy").prefix(LEGACY_PREFIX)
                        .length(40, 40).alphabet("0123456789abcdef").build())
                .meter(new FailingMeter()).meterFailClosed(true)
                .hashConcurrency(1).hashQueueTimeout(Duration.ZERO)
                .accessPolicy((key, request) -> {
                    if ("throw".equals(key.metadata().get("policy"))) {
                        throw new IllegalStateException("policy backend down (simulated)");
                    }
                    return Optional.empty();
                })
                .build();
        try (ApiKeys test = ApiKeys.builder().prefix("k_test").store(new InMemoryKeyStore()).scopes(SCOPES)
                .hasher(Sha256Hasher.create()).build()) {
            otherEnvironmentKey = test.create(KeySpec.builder("t").scopes("events:read").build()).plaintext();
        }
    }

    /** {@return a new key of tenant 92 with {@code events:read}, as the builder further says} */
    Key key(java.util.function.UnaryOperator<KeySpec.Builder> spec) {
        KeySpec.Builder b = KeySpec.builder("parity").tenantId(TENANT).scopes("events:read");
        var issued = apiKeys.create(spec.apply(b).build());
        return new Key(issued.info().keyId(), issued.plaintext());
    }

    private static final AtomicInteger TENANTS = new AtomicInteger();

    /** {@return a tenant no other case uses, for a case that changes its tenant's record} */
    static String freshTenant() {
        return "parity-" + TENANTS.incrementAndGet();
    }

    /** {@return a new key of tenant 92 with {@code events:read}} */
    Key key() {
        return key(b -> b);
    }

    /** The prefix of {@link #legacyKey()}'s keys: a format the host had before ours. */
    static final String LEGACY_PREFIX = "sk_live_";

    /**
     * {@return a key of a declared legacy format ({@code sk_live_} and 32 hex digits), imported by the SHA-256 of the
     * whole key as a host's own table would have kept it, with a rotate-by date}
     */
    Key legacyKey() throws java.security.NoSuchAlgorithmException {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String plaintext = LEGACY_PREFIX + java.util.HexFormat.of().formatHex(random);
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(plaintext.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        var info = apiKeys.legacy().importKey(KeySpec.builder("parity-legacy").tenantId(TENANT).scopes("events:read")
                .rotateBy(Instant.parse("2031-01-01T00:00:00Z")).build(), dev.apikey.spi.LegacyHash.sha256Hex(digest));
        return new Key(info.keyId(), plaintext);
    }

    /** {@return a well-formed key of another environment (prefix {@code k_test})} */
    String otherEnvironmentKey() {
        return otherEnvironmentKey;
    }

    /** Makes the store throw when asked for this key. */
    void storeDownFor(String keyId) {
        storeDownFor.add(keyId);
    }

    /** {@return the verifier's time} */
    Instant now() {
        return now;
    }

    /** Moves the verifier's clock on. */
    void advance(Duration by) {
        now = now.plus(by);
    }

    /** Spends one call of the key, as a granted request would. */
    void spend(Key key) {
        if (!apiKeys.verify(VerifyRequest.header(key.plaintext()).remoteAddress("127.0.0.1")).isGranted()) {
            throw new IllegalStateException("the key was refused while being set up");
        }
    }

    /** Sends wrong secrets for the key's id from 127.0.0.1 until its failed-attempt throttle is on. */
    void throttle(Key key) {
        String wrong = withSecret(key.plaintext(), "z".repeat(KeyFormat.SECRET_LENGTH));
        for (int i = 0; i < 100; i++) {
            apiKeys.verify(VerifyRequest.header(wrong).remoteAddress("127.0.0.1"));
        }
    }

    /**
     * Holds the one hash slot with a verify of a fresh key that waits in the hasher, until {@link #releaseAll()};
     * returns once the slot is taken (10 s at most).
     */
    void holdTheHashSlot() throws InterruptedException {
        Key other = key();
        release = new CountDownLatch(1);
        reached = new CountDownLatch(1);
        hashGate.set(1);
        holder = background.submit(() -> apiKeys.verify(VerifyRequest.header(other.plaintext())));
        if (!reached.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the holding verify did not reach the hasher within 10 s");
        }
    }

    /** Lets a held hash slot go and waits (10 s at most) for its verify to end. */
    void releaseAll() throws Exception {
        hashGate.set(0);
        release.countDown();
        if (holder != null) {
            holder.get(10, TimeUnit.SECONDS);
            holder = null;
        }
    }

    /** {@return the key with its secret replaced, checksum fixed: a wrong secret for a real key id} */
    static String withSecret(String plaintext, String secret) {
        int token = plaintext.length() - KeyFormat.TOKEN_LENGTH;
        String body = plaintext.substring(0, token + KeyFormat.KEY_ID_LENGTH) + secret;
        return body + KeyFormat.checksum(body);
    }

    /** Lets any held hash slot go and closes the verifier. */
    void close() throws Exception {
        releaseAll();
        background.shutdownNow();
        apiKeys.close();
    }

    /** A key the suite made: its id and its plaintext. */
    record Key(String keyId, String plaintext) {
        @Override
        public String toString() {
            return keyId;
        }
    }

    private SecretHasher gatedHasher() {
        Argon2idHasher argon2 = Argon2idHasher.builder().memoryKiB(256).iterations(1).insecureAllowWeakParameters()
                .build();
        return new SecretHasher() {
            @Override
            public String algorithm() {
                return argon2.algorithm();
            }

            @Override
            public String hash(byte[] secret) {
                return argon2.hash(secret);
            }

            @Override
            public boolean verify(byte[] secret, String storedHash) {
                if (hashGate.getAndUpdate(g -> Math.max(0, g - 1)) > 0) {
                    reached.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return argon2.verify(secret, storedHash);
            }
        };
    }

    private Clock clock() {
        return ReadClock.of(() -> now);
    }

    /** The in-process meter, failing for any batch that holds an allowance named {@link #METER_DOWN}. */
    private static final class FailingMeter implements Meter {
        private final LocalMeter local = new LocalMeter();

        @Override
        public Spend spend(List<Metered> batch, long cost, long nowMillis) {
            for (Metered m : batch) {
                if (METER_DOWN.equals(m.allowance().name())) {
                    throw new IllegalStateException("meter backend down (simulated)");
                }
            }
            return local.spend(batch, cost, nowMillis);
        }

        @Override
        public long used(Metered metered, long nowMillis) {
            return local.used(metered, nowMillis);
        }
    }
}
