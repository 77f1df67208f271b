package dev.apikey.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks exactly as the Standard Webhooks specification says: the signature is HMAC-SHA256,
 * keyed with the base64-decoded part of a {@code whsec_} secret, over {@code <webhook-id>.<webhook-timestamp>.<body>},
 * sent as {@code webhook-signature: v1,<base64>} (several, space-separated, while a secret is being replaced).
 *
 * <p>Immutable and thread-safe. {@link #toString()} leaves the secret out.
 */
public final class WebhookSigner {

    /** The prefix of a symmetric Standard Webhooks secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** How far a receiver's clock and the timestamp may differ, either way, by default: five minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** Bytes of a new secret: 32 (the specification asks for 24 to 64). */
    static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /**
     * A signer with a secret.
     *
     * @param secret {@code whsec_} and the base64 of 24 to 64 random bytes (the prefix may be left out)
     * @throws IllegalArgumentException if it is not base64 or decodes to fewer than 24 or more than 64 bytes (the
     *                                  message never holds the secret)
     */
    public WebhookSigner(String secret) {
        Objects.requireNonNull(secret, "secret");
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret must be whsec_ and base64", null);
        }
        if (raw.length < 24 || raw.length > 64) {
            throw new IllegalArgumentException("secret must decode to 24 to 64 bytes, was " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "HmacSHA256");
    }

    /** {@return a new random secret, {@code whsec_} and the base64 of 32 bytes} */
    public static String newSecret() {
        byte[] raw = new byte[SECRET_BYTES];
        RANDOM.nextBytes(raw);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /**
     * Signs one attempt of a message.
     *
     * @param messageId the {@code webhook-id}, the same on every attempt of the message; no {@code .}
     * @param timestamp the {@code webhook-timestamp}: the attempt's time in seconds since the epoch
     * @param body      the body exactly as sent
     * @return the {@code webhook-signature} value, {@code v1,} and the base64 HMAC
     */
    public String sign(String messageId, long timestamp, String body) {
        if (messageId.indexOf('.') >= 0) {
            throw new IllegalArgumentException("messageId must not contain '.'");
        }
        return "v1," + Base64.getEncoder().encodeToString(mac(messageId + "." + timestamp + "." + body));
    }

    /**
     * Checks a received webhook: the timestamp within {@code tolerance} of {@code now} either way, and one of the
     * {@code v1} signatures in the header matching (compared in constant time). Other versions are skipped.
     *
     * @param messageId       the {@code webhook-id} header
     * @param timestamp       the {@code webhook-timestamp} header
     * @param signatureHeader the {@code webhook-signature} header
     * @param body            the body exactly as received, before any parsing
     * @param now             the receiver's time
     * @param tolerance       how far the timestamp may be from {@code now}
     * @return whether the webhook is authentic and fresh; {@code false} also for a missing or malformed header
     */
    public boolean verify(String messageId, String timestamp, String signatureHeader, String body, Instant now,
            Duration tolerance) {
        if (messageId == null || timestamp == null || signatureHeader == null || body == null
                || messageId.indexOf('.') >= 0 || !timestamp.matches("[0-9]{1,12}")) {
            return false;
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac(messageId + "." + timestamp + "." + body);
        boolean match = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (candidate.startsWith("v1,")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(3));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                match |= MessageDigest.isEqual(expected, given);
            }
        }
        return match;
    }

    private byte[] mac(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** {@return the class name only: never the secret} */
    @Override
    public String toString() {
        return "WebhookSigner[secret hidden]";
    }
}
