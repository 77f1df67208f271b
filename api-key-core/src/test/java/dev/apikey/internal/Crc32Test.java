package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The parser's CRC-32 gives what {@code java.util.zip.CRC32} gives, for every length a key can have and more. */
class Crc32Test {

    @Test
    void everyRangeOfRandomBytesChecksumsAsTheJdkDoes() {
        Random random = new Random(7);
        byte[] bytes = new byte[300];
        for (int round = 0; round < 2_000; round++) {
            random.nextBytes(bytes);
            int from = random.nextInt(40);
            int to = from + random.nextInt(bytes.length - from + 1);
            CRC32 jdk = new CRC32();
            jdk.update(bytes, from, to - from);
            assertThat(Crc32.of(bytes, from, to)).as("bytes [%d, %d)", from, to).isEqualTo(jdk.getValue());
        }
    }

    @Test
    void knownValues() {
        assertThat(Crc32.of(new byte[0], 0, 0)).isZero();
        // The check value of CRC-32/ISO-HDLC.
        assertThat(Crc32.of("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 9))
                .isEqualTo(0xCBF43926L);
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> Crc32.of(new byte[8], 4, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Crc32.of(new byte[8], 5, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
