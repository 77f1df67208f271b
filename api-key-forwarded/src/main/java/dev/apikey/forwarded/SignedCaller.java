package dev.apikey.forwarded;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a verified caller into headers on the gateway, and checks them on the upstream, with a secret the two share:
 * HMAC-SHA256 over a canonical text of the version tag, the method, the path and query as forwarded, the signing
 * time and each forwarded value in a fixed order (key id, tenant, scopes). No framework: the gateway's filter and the
 * upstream's {@link ForwardedCallerFilter} both use it.
 *
 * <p>A signature is good for {@link #WINDOW} either side of its signing time, so a captured request can be replayed
 * within that window and not after: the window bounds replay; only a private, encrypted link between the gateway and
 * the upstream prevents the capture. Signatures are compared in constant time.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class SignedCaller {

    /** The version tag, first in the canonical text and in the signature header's value. */
    public static final String VERSION = "v1";
    /** How far a signing time may be from the checker's clock, either way. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** The shortest secret, in bytes (an HMAC-SHA256 key shorter than its output weakens it). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final String CANONICAL_TAG = "apikey-forwarded-" + VERSION;
    /** The start of every canonical text: the tag and its line break, taken into the keyed HMAC once. */
    private static final byte[] CANONICAL_HEAD = (CANONICAL_TAG + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String SIGNATURE_PREFIX = VERSION + "=";
    /** A signing time is at most 12 digits of seconds, so the window arithmetic cannot overflow. */
    private static final int MAX_TIMESTAMP_DIGITS = 12;
    private static final int MAX_PATH_LENGTH = 8192;

    private final ForwardedHeaders names;
    /**
     * An HMAC keyed with the secret once, which has taken in {@link #CANONICAL_HEAD} and nothing after: each signature
     * is made on a clone of it, which skips the provider look-up, the key's set-up (two SHA-256 blocks) and the inner
     * pad's block that a new Mac costs, and keeps concurrent signatures apart. With the head taken, a canonical text
     * of up to 55 more bytes is one block more.
     */
    private final Mac keyed;

    private SignedCaller(byte[] secret, ForwardedHeaders names) {
        this.names = names;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update(CANONICAL_HEAD);
            mac.clone(); // fails here, not on the first request, where a provider's Mac cannot be cloned
            this.keyed = mac;
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        } finally {
            Arrays.fill(secret, (byte) 0); // this copy: the key spec and the Mac keep their own
        }
    }

    /**
     * A signer and checker over a secret given as text (its UTF-8 bytes are the key).
     *
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes in UTF-8
     * @param names  the header names, the same on the gateway and the upstream
     * @return the signer
     * @throws IllegalArgumentException if the secret is shorter (the message does not show it)
     * @throws NullPointerException     if an argument is null
     */
    public static SignedCaller withSecret(String secret, ForwardedHeaders names) {
        return withSecret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), names);
    }

    /**
     * A signer and checker over a secret's bytes (copied).
     *
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @param names  the header names, the same on the gateway and the upstream
     * @return the signer
     * @throws IllegalArgumentException if the secret is shorter (the message does not show it)
     * @throws NullPointerException     if an argument is null
     */
    public static SignedCaller withSecret(byte[] secret, ForwardedHeaders names) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(names, "names");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret must be at least " + MIN_SECRET_BYTES + " bytes, was "
                    + secret.length);
        }
        return new SignedCaller(secret.clone(), names);
    }

    /** {@return the header names this signer writes and reads} */
    public ForwardedHeaders names() {
        return names;
    }

    /**
     * The headers that forward a caller: key id, tenant (only for a key with one), scopes, signing time and
     * signature, in that order.
     *
     * @param method       the forwarded request's method, e.g. {@code GET}
     * @param pathAndQuery the forwarded request's raw path, with {@code ?} and the raw query if it has one
     * @param caller       the verified caller
     * @param at           the signing time
     * @return header name to value
     * @throws IllegalArgumentException if the method is not 1 to 20 of {@code [A-Z]}, or the path does not start
     *                                  with {@code /} or is not 1 to 8192 printable ASCII characters
     */
    public Map<String, String> sign(String method, String pathAndQuery, ForwardedCaller caller, Instant at) {
        requireRequest(method, pathAndQuery);
        Objects.requireNonNull(caller, "caller");
        String timestamp = Long.toString(at.getEpochSecond());
        String tenant = caller.tenantId().orElse("");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(names.keyId(), caller.keyId());
        if (!tenant.isEmpty()) {
            headers.put(names.tenant(), tenant);
        }
        String scopes = caller.scopesValue();
        headers.put(names.scopes(), scopes);
        headers.put(names.timestamp(), timestamp);
        headers.put(names.signature(), signature(method, pathAndQuery, timestamp, caller.keyId(), tenant, scopes));
        return headers;
    }

    /**
     * Checks a forwarded request's headers: each present at most once, the signing time within {@link #WINDOW} of
     * {@code now}, the signature that of this method, path, time and values.
     *
     * @param method       the request's method as received
     * @param pathAndQuery the request's raw path, with {@code ?} and the raw query if it has one
     * @param headers      a header's values by name ({@code null} or empty for none)
     * @param now          the checker's time
     * @return the caller, or the fault
     */
    public Checked check(String method, String pathAndQuery, Function<String, List<String>> headers, Instant now) {
        String signature = single(headers, names.signature());
        String timestamp = single(headers, names.timestamp());
        String keyId = single(headers, names.keyId());
        String tenant = single(headers, names.tenant());
        String scopes = single(headers, names.scopes());
        if (signature == null && timestamp == null && keyId == null) {
            return Checked.refused(Fault.UNSIGNED);
        }
        if (signature == null || timestamp == null || keyId == null || signature == REPEATED
                || timestamp == REPEATED || keyId == REPEATED || tenant == REPEATED || scopes == REPEATED
                || !isRun(timestamp, MAX_TIMESTAMP_DIGITS, '0', '9')) {
            return Checked.refused(Fault.MALFORMED);
        }
        ForwardedCaller caller;
        try {
            requireRequest(method, pathAndQuery);
            caller = ForwardedCaller.of(keyId, tenant == null || tenant.isEmpty() ? null : tenant,
                    scopes == null || scopes.isEmpty() ? List.of() : List.of(scopes.split(" ", -1)));
        } catch (IllegalArgumentException e) {
            return Checked.refused(Fault.MALFORMED);
        }
        byte[] expected = signature(method, pathAndQuery, timestamp, keyId, tenant == null ? "" : tenant,
                scopes == null ? "" : scopes).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
            return Checked.refused(Fault.BAD_SIGNATURE);
        }
        // At most 12 digits: the difference of two such numbers of seconds cannot overflow.
        long age = now.getEpochSecond() - Long.parseLong(timestamp);
        if (Math.abs(age) > WINDOW.toSeconds()) {
            return Checked.refused(Fault.OUTSIDE_WINDOW);
        }
        return new Checked(caller, null);
    }

    /** Why forwarded headers were not believed. */
    public enum Fault {
        /** No signature, no signing time and no key id: the request did not come through the gateway. */
        UNSIGNED,
        /** A header missing, repeated or not in its form. */
        MALFORMED,
        /** The signature is not this secret's over this request: altered, or signed with another secret. */
        BAD_SIGNATURE,
        /** The signing time is more than {@link #WINDOW} away from now: an old (replayed) or future request. */
        OUTSIDE_WINDOW
    }

    /**
     * What a check found: the caller, or why not.
     *
     * @param caller the caller, or {@code null} when refused
     * @param fault  the fault, or {@code null} when the headers were believed
     */
    public record Checked(ForwardedCaller caller, Fault fault) {

        static Checked refused(Fault fault) {
            return new Checked(null, fault);
        }

        /** {@return whether the headers were believed} */
        public boolean isGranted() {
            return caller != null;
        }
    }

    /** Marks a header sent more than once; compared by identity. */
    private static final String REPEATED = new String("repeated");

    private static String single(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() > 1 ? REPEATED : values.get(0);
    }

    private String signature(String method, String pathAndQuery, String timestamp, String keyId, String tenant,
            String scopes) {
        // The canonical text is CANONICAL_HEAD and then this; the keyed HMAC has taken the head.
        String rest = String.join("\n", method, pathAndQuery, timestamp, keyId, tenant, scopes);
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e); // checked in the constructor
        }
        byte[] digest = mac.doFinal(rest.getBytes(StandardCharsets.UTF_8));
        return SIGNATURE_PREFIX + BASE64URL.encodeToString(digest);
    }

    /** {@return whether {@code s} is 1 to {@code max} characters, each from {@code lo} to {@code hi}} */
    private static boolean isRun(String s, int max, char lo, char hi) {
        int n = s.length();
        if (n < 1 || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < lo || c > hi) {
                return false;
            }
        }
        return true;
    }

    private static void requireRequest(String method, String pathAndQuery) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        if (!isRun(method, 20, 'A', 'Z')) {
            throw new IllegalArgumentException("method must be 1 to 20 of [A-Z]");
        }
        if (!pathAndQuery.startsWith("/") || pathAndQuery.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException("pathAndQuery must start with / and be at most " + MAX_PATH_LENGTH
                    + " characters");
        }
        for (int i = 0; i < pathAndQuery.length(); i++) {
            char c = pathAndQuery.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("pathAndQuery must be printable ASCII without spaces");
            }
        }
    }

    @Override
    public String toString() {
        return "SignedCaller[" + VERSION + ", " + names + "]";
    }
}
