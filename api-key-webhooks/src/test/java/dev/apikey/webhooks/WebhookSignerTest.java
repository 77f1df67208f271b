package dev.apikey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The signer against the Standard Webhooks specification's published test vector (the one every reference library
 * tests: secret {@code whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw}, id {@code msg_p5jXN8AQM9LWM0D4loKWxJek}, timestamp
 * 1614265330, body {@code {"test": 2432232314}}), and the verifier's rules: several signatures, other versions
 * skipped, the timestamp window both ways, any change to id, timestamp or body refused.
 */
class WebhookSignerTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant THEN = Instant.ofEpochSecond(TIMESTAMP);
    private static final Duration FIVE_MINUTES = WebhookSigner.DEFAULT_TOLERANCE;

    @Test
    void signsTheSpecificationsVector() {
        assertThat(new WebhookSigner(SECRET).sign(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void theSecretMayComeWithoutItsPrefix() {
        assertThat(new WebhookSigner("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesTheVectorAndRefusesAnyChange() {
        WebhookSigner signer = new WebhookSigner(SECRET);
        String ts = Long.toString(TIMESTAMP);
        assertThat(signer.verify(ID, ts, SIGNATURE, BODY, THEN, FIVE_MINUTES)).isTrue();
        assertThat(signer.verify(ID, ts, SIGNATURE, BODY.replace('2', '3'), THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", ts, SIGNATURE, BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(ID, Long.toString(TIMESTAMP + 1), SIGNATURE, BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(ID, ts, SIGNATURE, BODY, THEN, FIVE_MINUTES)).isTrue();
    }

    @Test
    void acceptsOneGoodSignatureAmongSeveralAndSkipsOtherVersions() {
        WebhookSigner signer = new WebhookSigner(SECRET);
        String ts = Long.toString(TIMESTAMP);
        String wrong = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        assertThat(signer.verify(ID, ts, wrong + " v2,abc " + SIGNATURE + " " + wrong, BODY, THEN, FIVE_MINUTES))
                .isTrue();
        assertThat(signer.verify(ID, ts, "v2," + SIGNATURE.substring(3), BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(ID, ts, "invalid_signature", BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(ID, ts, "v1,invalid_signature", BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(null, ts, SIGNATURE, BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(ID, null, SIGNATURE, BODY, THEN, FIVE_MINUTES)).isFalse();
        assertThat(signer.verify(ID, ts, null, BODY, THEN, FIVE_MINUTES)).isFalse();
    }

    @Test
    void refusesATimestampOutsideTheWindowEitherWay() {
        WebhookSigner signer = new WebhookSigner(SECRET);
        String ts = Long.toString(TIMESTAMP);
        assertThat(signer.verify(ID, ts, SIGNATURE, BODY, THEN.plus(FIVE_MINUTES), FIVE_MINUTES)).isTrue();
        assertThat(signer.verify(ID, ts, SIGNATURE, BODY, THEN.plus(FIVE_MINUTES).plusSeconds(1), FIVE_MINUTES))
                .as("too old").isFalse();
        assertThat(signer.verify(ID, ts, SIGNATURE, BODY, THEN.minus(FIVE_MINUTES).minusSeconds(1), FIVE_MINUTES))
                .as("from the future").isFalse();
        assertThat(signer.verify(ID, "-1", SIGNATURE, BODY, THEN, FIVE_MINUTES)).isFalse();
    }

    @Test
    void aNewSecretIs32RandomBytesAndSignsRoundTrip() {
        String secret = WebhookSigner.newSecret();
        assertThat(secret).startsWith("whsec_").hasSize(6 + 44).isNotEqualTo(WebhookSigner.newSecret());
        WebhookSigner signer = new WebhookSigner(secret);
        String sig = signer.sign("msg_1", 100, "{}");
        assertThat(signer.verify("msg_1", "100", sig, "{}", Instant.ofEpochSecond(100), FIVE_MINUTES)).isTrue();
        assertThat(new WebhookSigner(WebhookSigner.newSecret())
                .verify("msg_1", "100", sig, "{}", Instant.ofEpochSecond(100), FIVE_MINUTES)).isFalse();
    }

    @Test
    void aBadSecretIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> new WebhookSigner("whsec_not*base64*at*all*but*long*enough"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secret must be whsec_ and base64");
        assertThatThrownBy(() -> new WebhookSigner("whsec_c2hvcnQ=")).hasMessage(
                "secret must decode to 24 to 64 bytes, was 5");
        assertThat(new WebhookSigner(SECRET).toString()).doesNotContain("MfKQ");
        assertThatThrownBy(() -> new WebhookSigner(SECRET).sign("msg.1", 1, "{}"))
                .hasMessage("messageId must not contain '.'");
    }
}
