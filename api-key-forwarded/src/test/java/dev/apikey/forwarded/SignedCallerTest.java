package dev.apikey.forwarded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SignedCallerTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-gateway";
    private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    private final SignedCaller signer = SignedCaller.withSecret(SECRET, ForwardedHeaders.DEFAULTS);
    private final ForwardedCaller caller = ForwardedCaller.of("3kTz9QbC", "acme", List.of("events:read", "admin"));

    private static Function<String, List<String>> headers(Map<String, String> signed) {
        Map<String, List<String>> lower = new HashMap<>();
        signed.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
        return name -> lower.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void aSignedCallerChecksOnTheSameRequest() {
        Map<String, String> signed = signer.sign("GET", "/events?page=2", caller, T);

        assertThat(signed).containsOnlyKeys("X-ApiKey-Key-Id", "X-ApiKey-Tenant", "X-ApiKey-Scopes",
                "X-ApiKey-Timestamp", "X-ApiKey-Signature");
        assertThat(signed.get("X-ApiKey-Scopes")).isEqualTo("admin events:read");
        assertThat(signed.get("X-ApiKey-Timestamp")).isEqualTo(Long.toString(T.getEpochSecond()));
        assertThat(signed.get("X-ApiKey-Signature")).matches("v1=[A-Za-z0-9_-]{43}");
        SignedCaller.Checked checked = signer.check("GET", "/events?page=2", headers(signed), T.plusSeconds(10));
        assertThat(checked.isGranted()).isTrue();
        assertThat(checked.caller()).isEqualTo(caller);
        assertThat(checked.caller().tenantId()).contains("acme");
    }

    @Test
    void aTenantlessKeySendsNoTenantHeaderAndChecks() {
        ForwardedCaller plain = ForwardedCaller.of("3kTz9QbC", null, List.of());
        Map<String, String> signed = signer.sign("POST", "/", plain, T);

        assertThat(signed).doesNotContainKey("X-ApiKey-Tenant").containsEntry("X-ApiKey-Scopes", "");
        assertThat(signer.check("POST", "/", headers(signed), T).caller()).isEqualTo(plain);
    }

    @Test
    void anAlteredRequestOrValueIsRefused() {
        Map<String, String> signed = signer.sign("GET", "/events?page=2", caller, T);

        assertThat(signer.check("DELETE", "/events?page=2", headers(signed), T).fault())
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
        assertThat(signer.check("GET", "/admin?page=2", headers(signed), T).fault())
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
        assertThat(signer.check("GET", "/events?page=3", headers(signed), T).fault())
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
        assertThat(signer.check("GET", "/events", headers(signed), T).fault())
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
        for (String[] change : new String[][] {{"X-ApiKey-Key-Id", "otherKey"}, {"X-ApiKey-Tenant", "globex"},
            {"X-ApiKey-Tenant", ""}, {"X-ApiKey-Scopes", "admin events:read events:write"},
            {"X-ApiKey-Scopes", "admin"}, {"X-ApiKey-Timestamp", Long.toString(T.getEpochSecond() + 1)},
            {"X-ApiKey-Signature", signed.get("X-ApiKey-Signature").replace("v1=", "v1=A").substring(0, 46)}}) {
            Map<String, String> altered = new HashMap<>(signed);
            altered.put(change[0], change[1]);
            assertThat(signer.check("GET", "/events?page=2", headers(altered), T).fault())
                    .as(change[0] + "=" + change[1]).isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
        }
        Map<String, String> noTenant = new HashMap<>(signed);
        noTenant.remove("X-ApiKey-Tenant");
        assertThat(signer.check("GET", "/events?page=2", headers(noTenant), T).fault())
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
    }

    @Test
    void anotherSecretsSignatureIsRefused() {
        SignedCaller other = SignedCaller.withSecret("another-secret-of-at-least-32-bytes!!", ForwardedHeaders.DEFAULTS);
        Map<String, String> signed = other.sign("GET", "/events", caller, T);

        assertThat(signer.check("GET", "/events", headers(signed), T).fault())
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
    }

    @Test
    void theWindowIsFiveMinutesEitherWay() {
        Map<String, String> signed = signer.sign("GET", "/events", caller, T);

        assertThat(signer.check("GET", "/events", headers(signed), T.plusSeconds(300)).isGranted()).isTrue();
        assertThat(signer.check("GET", "/events", headers(signed), T.minusSeconds(300)).isGranted()).isTrue();
        assertThat(signer.check("GET", "/events", headers(signed), T.plusSeconds(301)).fault())
                .isEqualTo(SignedCaller.Fault.OUTSIDE_WINDOW);
        assertThat(signer.check("GET", "/events", headers(signed), T.minusSeconds(301)).fault())
                .isEqualTo(SignedCaller.Fault.OUTSIDE_WINDOW);
    }

    @Test
    void aTimestampNotOfTwelveDigitsAtMostIsMalformedWithoutArithmetic() {
        Map<String, String> signed = signer.sign("GET", "/events", caller, T);
        for (String timestamp : new String[] {"", "-1", "+1", "1e9", " 1", "9223372036854775807", "1000000000000",
            "0x10"}) {
            Map<String, String> bad = new HashMap<>(signed);
            bad.put("X-ApiKey-Timestamp", timestamp);
            assertThat(signer.check("GET", "/events", headers(bad), T).fault()).as(timestamp)
                    .isEqualTo(SignedCaller.Fault.MALFORMED);
        }
    }

    @Test
    void missingRepeatedOrMalformedHeadersAreRefused() {
        Map<String, String> signed = signer.sign("GET", "/events", caller, T);

        assertThat(signer.check("GET", "/events", name -> null, T).fault()).isEqualTo(SignedCaller.Fault.UNSIGNED);
        Map<String, String> unsignedCaller = new HashMap<>(signed);
        unsignedCaller.remove("X-ApiKey-Signature");
        assertThat(signer.check("GET", "/events", headers(unsignedCaller), T).fault())
                .isEqualTo(SignedCaller.Fault.MALFORMED);
        Function<String, List<String>> twice = name -> name.equalsIgnoreCase("X-ApiKey-Tenant")
                ? List.of("acme", "globex") : headers(signed).apply(name);
        assertThat(signer.check("GET", "/events", twice, T).fault()).isEqualTo(SignedCaller.Fault.MALFORMED);
        Map<String, String> spaced = new HashMap<>(signed);
        spaced.put("X-ApiKey-Scopes", "admin  events:read");
        assertThat(signer.check("GET", "/events", headers(spaced), T).fault()).isEqualTo(SignedCaller.Fault.MALFORMED);
        assertThat(signer.check("GET", "events", headers(signed), T).fault()).isEqualTo(SignedCaller.Fault.MALFORMED);
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> SignedCaller.withSecret("short-secret-value", ForwardedHeaders.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret must be at least 32 bytes, was 18");
        assertThat(signer.toString()).doesNotContain(SECRET);
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> signer.sign("get", "/events", caller, T)).hasMessageContaining("method");
        assertThatThrownBy(() -> signer.sign("GET", "/events\n", caller, T)).hasMessageContaining("pathAndQuery");
        assertThatThrownBy(() -> ForwardedCaller.of("key id", null, List.of())).hasMessageContaining("keyId");
        assertThatThrownBy(() -> ForwardedCaller.of("k", "acme\nX", List.of())).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> new ForwardedHeaders("X-A", "X-B", "X-C", "X-D", "x-a"))
                .hasMessageContaining("signature");
        assertThatThrownBy(() -> new ForwardedHeaders("X-A", "X B", "X-C", "X-D", "X-E"))
                .hasMessageContaining("tenant");
    }

    @Test
    void stripsTheNamesAndEveryDefaultPrefixedHeader() {
        ForwardedHeaders custom = new ForwardedHeaders("X-Caller-Id", "X-Caller-Tenant", "X-Caller-Scopes",
                "X-Caller-Time", "X-Caller-Sig");
        for (String name : custom.all()) {
            assertThat(custom.strips(name)).as(name).isTrue();
            assertThat(custom.strips(name.toLowerCase(java.util.Locale.ROOT))).as(name).isTrue();
            assertThat(custom.strips(name + "s")).as(name + "s").isFalse();
        }
        assertThat(custom.strips("x-caller-tenant")).isTrue();
        assertThat(custom.strips("x-apikey-anything")).isTrue();
        assertThat(custom.strips("X-Api-Key")).isFalse();
        assertThat(custom.strips("X-Caller")).isFalse();
    }

    @Test
    void theSignatureIsHmacSha256OfTheCanonicalTextAndStaysSoAcrossThreads() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String canonical = String.join("\n", "apikey-forwarded-v1", "GET", "/events?page=2",
                Long.toString(T.getEpochSecond()), "3kTz9QbC", "acme", "admin events:read");
        String expected = "v1=" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(signer.sign("GET", "/events?page=2", caller, T).get("X-ApiKey-Signature")).isEqualTo(expected);

        // Each signature is made on its own copy of the keyed HMAC: threads signing at once do not mix their inputs.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String path = "/events?page=" + t;
                String mine = signer.sign("GET", path, caller, T).get("X-ApiKey-Signature");
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!mine.equals(signer.sign("GET", path, caller, T).get("X-ApiKey-Signature"))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : all) {
                assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMethodIsOneToTwentyCapitalsAndATimestampOneToTwelveDigits() {
        assertThatThrownBy(() -> signer.sign("", "/events", caller, T)).hasMessageContaining("method");
        assertThatThrownBy(() -> signer.sign("A".repeat(21), "/events", caller, T)).hasMessageContaining("method");
        assertThatThrownBy(() -> signer.sign("G\u00c9T", "/events", caller, T)).hasMessageContaining("method");
        assertThat(signer.sign("A".repeat(20), "/events", caller, T)).containsKey("X-ApiKey-Signature");
        Map<String, String> signed = signer.sign("GET", "/events", caller, T);
        Map<String, String> twelve = new HashMap<>(signed);
        twelve.put("X-ApiKey-Timestamp", "000000000001");
        assertThat(signer.check("GET", "/events", headers(twelve), T).fault()).as("read, then its signature checked")
                .isEqualTo(SignedCaller.Fault.BAD_SIGNATURE);
        Map<String, String> otherDigits = new HashMap<>(signed);
        otherDigits.put("X-ApiKey-Timestamp", "\u0661\u0662");
        assertThat(signer.check("GET", "/events", headers(otherDigits), T).fault())
                .isEqualTo(SignedCaller.Fault.MALFORMED);
    }
}
