package dev.apikey.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * PBKDF2 hashes of a legacy key made by Python's {@code hashlib.pbkdf2_hmac} (an independent implementation), in the
 * PHC form and in passlib's modular crypt form:
 *
 * <pre>
 * key=b'sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8'; salt=b'legacy-salt-0123'
 * hashlib.pbkdf2_hmac('sha256', key, salt, 1000, 32)   # PHC, base64 without padding
 * hashlib.pbkdf2_hmac('sha1', key, salt, 1200, 20)     # $pbkdf2$, adapted base64 ('.' for '+')
 * hashlib.pbkdf2_hmac('sha512', key, salt, 1000, 64)   # $pbkdf2-sha512$, adapted base64
 * </pre>
 */
class Pbkdf2HasherTest {

    private static final byte[] KEY = "sk_live_4f9a2b7c1d3e5f60718293a4b5c6d7e8".getBytes(StandardCharsets.US_ASCII);
    private static final String PHC_SHA256 =
            "$pbkdf2-sha256$i=1000,l=32$bGVnYWN5LXNhbHQtMDEyMw$Mp/wQFIhq93Fre51Xwd2iBuB2Vzf/e6E6xiSh8Ep1f4";
    private static final String MCF_SHA1 = "$pbkdf2$1200$bGVnYWN5LXNhbHQtMDEyMw$vYaXNSxaFZyxctnooo77Od6Ihik";
    private static final String MCF_SHA512 = "$pbkdf2-sha512$1000$bGVnYWN5LXNhbHQtMDEyMw$Jygg10VO7OU3jSd94hb3r.nAo922DAb"
            + "ORpT/JH1u.yd8oKh6aXDJRM/3Sy6Lzg5KqOiyQtzWWvUvuFp7utTN4A";

    private final Pbkdf2Hasher hasher = Pbkdf2Hasher.create();

    @Test
    void readsHashesHashlibMadeInBothForms() {
        assertThat(hasher.verify(KEY, PHC_SHA256)).isTrue();
        assertThat(hasher.verify(KEY, MCF_SHA1)).isTrue();
        assertThat(hasher.verify(KEY, MCF_SHA512)).isTrue();
    }

    @Test
    void aWrongKeyDoesNotVerify() {
        byte[] wrong = KEY.clone();
        wrong[wrong.length - 1] ^= 1;
        assertThat(hasher.verify(wrong, PHC_SHA256)).isFalse();
        assertThat(hasher.verify(wrong, MCF_SHA1)).isFalse();
    }

    @Test
    void writesThePhcFormItReads() {
        String hash = hasher.hash(KEY);
        assertThat(hash).startsWith("$pbkdf2-sha256$i=600000,l=32$");
        assertThat(hasher.verify(KEY, hash)).isTrue();
        assertThat(hasher.needsRehash(hash)).isFalse();
        assertThat(hasher.needsRehash(PHC_SHA256)).isTrue();
    }

    @Test
    void refusesCorruptOrCostlyHashesUnreadAndNeverThrows() {
        assertThat(hasher.isWellFormed("$pbkdf2-sha256$i=999999999,l=32$bGVnYWN5LXNhbHQtMDEyMw$"
                + "Mp/wQFIhq93Fre51Xwd2iBuB2Vzf/e6E6xiSh8Ep1f4")).isFalse();
        assertThat(hasher.isWellFormed("$pbkdf2-sha256$i=1000,l=31$bGVnYWN5LXNhbHQtMDEyMw$"
                + "Mp/wQFIhq93Fre51Xwd2iBuB2Vzf/e6E6xiSh8Ep1f4")).isFalse();
        assertThat(hasher.isWellFormed("$pbkdf2-md5$1000$c2FsdA$Mp/wQFIhq93Fre51Xwd2iBuB2Vzf/e6E6xiSh8Ep1f4")).isFalse();
        assertThat(hasher.isWellFormed("$pbkdf2-sha256$i=1000$!!$Mp/wQFIhq93Fre51Xwd2iBuB2Vzf")).isFalse();
        assertThat(hasher.isWellFormed("$pbkdf2-sha256$-5$c2FsdA$Mp/wQFIhq93Fre51Xwd2iBuB2Vzf")).isFalse();
        assertThat(hasher.isWellFormed(null)).isFalse();
        assertThat(hasher.verify(KEY, "$pbkdf2-sha256$")).isFalse();
    }
}
