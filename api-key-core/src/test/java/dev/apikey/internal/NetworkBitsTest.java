package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Source networks as one bit: IPv4 by /24, IPv6 by /48, whatever the text's form; nothing for non-addresses. */
class NetworkBitsTest {

    @Test
    void anIpv4AddressIsReadByItsSlash24() {
        assertThat(NetworkBits.bit("192.0.2.1")).isNotZero().isEqualTo(NetworkBits.bit("192.0.2.254"));
        assertThat(Long.bitCount(NetworkBits.bit("192.0.2.1"))).isEqualTo(1);
        assertThat(NetworkBits.bit("::ffff:192.0.2.9")).as("IPv4-mapped").isEqualTo(NetworkBits.bit("192.0.2.1"));
    }

    @Test
    void anIpv6AddressIsReadByItsSlash48InEveryForm() {
        long bit = NetworkBits.bit("2001:db8:1::1");
        assertThat(bit).isNotZero();
        assertThat(NetworkBits.bit("2001:0db8:0001:0000:0000:0000:0000:0002")).isEqualTo(bit);
        assertThat(NetworkBits.bit("[2001:db8:1:ffff::9]")).isEqualTo(bit);
        assertThat(NetworkBits.bit("2001:db8:1::1%eth0")).isEqualTo(bit);
        assertThat(NetworkBits.bit("2001:db8::1:0:0:0:0")).as("2001:db8:0:1:...").isEqualTo(
                NetworkBits.bit("2001:db8:0:1::"));
        assertThat(NetworkBits.bit("1::2:3:4:5:6:7")).as("a tail group among the first three")
                .isEqualTo(NetworkBits.bit("1:0:2:ffff::"));
        assertThat(NetworkBits.bit("::1")).isEqualTo(NetworkBits.bit("0:0:0:0:0:0:0:1"));
    }

    @Test
    void whatIsNotAnAddressSetsNoBit() {
        for (String text : new String[] {null, "", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1::2::3",
                "12345::1", "1:2:3:4:5:6:7:8:9", "g::1"}) {
            assertThat(NetworkBits.bit(text)).as(String.valueOf(text)).isZero();
        }
    }

    @Test
    void digitsOfOtherScriptsAreNotAnAddressDigits() {
        // Character.digit reads fullwidth and other scripts' digits as hex digits; no address has them.
        for (String text : new String[] {"\uff12\uff10\uff10\uff11:db8::1", "2001:db8::\uff11", "\u0662001:db8::1"}) {
            assertThat(NetworkBits.network(text)).as(text).isEqualTo(-1);
        }
    }

    @Test
    void everyFormOfRandomAddressesReadsAsTheirNetwork() throws UnknownHostException {
        Random random = new Random(27);
        for (int i = 0; i < 20_000; i++) {
            byte[] v4 = new byte[4];
            random.nextBytes(v4);
            long expected4 = (v4[0] & 0xffL) << 16 | (v4[1] & 0xffL) << 8 | v4[2] & 0xffL;
            String text4 = InetAddress.getByAddress(v4).getHostAddress();
            assertThat(NetworkBits.network(text4)).as(text4).isEqualTo(expected4);
            assertThat(NetworkBits.network("::ffff:" + text4)).as("mapped " + text4).isEqualTo(expected4);

            byte[] v6 = new byte[16];
            random.nextBytes(v6);
            for (int b = 0; b < 16; b += 2) {
                if (random.nextInt(3) == 0) { // runs of zero groups, for "::" to stand for
                    v6[b] = 0;
                    v6[b + 1] = 0;
                }
            }
            if (v6[0] == 0 && v6[1] == 0 && v6[2] == 0 && v6[3] == 0 && v6[4] == 0 && v6[5] == 0 && v6[6] == 0
                    && v6[7] == 0 && v6[8] == 0 && v6[9] == 0) {
                v6[15] |= 1; // not a form Java would write as IPv4-compatible
            }
            long expected6 = 1L << 48;
            for (int b = 0; b < 6; b++) {
                expected6 |= (v6[b] & 0xffL) << (40 - 8 * b);
            }
            String full = InetAddress.getByAddress(v6).getHostAddress(); // Java writes every group: 2001:db8:0:0:...
            String compressed = compress(full);
            assertThat(NetworkBits.network(full)).as(full).isEqualTo(expected6);
            assertThat(NetworkBits.network(compressed)).as(compressed).isEqualTo(expected6);
            assertThat(NetworkBits.network("[" + compressed.toUpperCase(java.util.Locale.ROOT) + "]"))
                    .as("bracketed, upper case " + compressed).isEqualTo(expected6);
            assertThat(NetworkBits.network(compressed + "%eth0")).as("zoned " + compressed).isEqualTo(expected6);
        }
    }

    /** The longest run of two or more zero groups as "::" (RFC 5952's form, leading zeros already gone). */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    @Test
    void theEstimateIsExactForFewNetworksAndBoundedForMany() {
        assertThat(NetworkBits.estimate(0)).isZero();
        assertThat(NetworkBits.estimate(0b1011)).isEqualTo(3);
        assertThat(NetworkBits.estimate(-1L)).isEqualTo(266);
        long sketch = 0;
        for (int i = 0; i < 50; i++) {
            sketch |= NetworkBits.bit("10.0." + i + ".1");
        }
        assertThat(NetworkBits.estimate(sketch)).isBetween(40, 60);
    }
}
