package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
