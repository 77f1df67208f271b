package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDR ranges at their edges: prefix lengths, partial bytes, the IPv6 alphabet, the literal cap. */
class CidrSetTest {

    private static final String NOT_LITERAL = "allowed range must be an IPv4 or IPv6 address with an optional /prefix";

    @Test
    void aPrefixInsideAByteMatchesExactlyItsRange() {
        CidrSet set = CidrSet.parse(List.of("10.16.0.0/12"));
        assertThat(set.contains("10.16.0.0")).isTrue();
        assertThat(set.contains("10.31.255.255")).isTrue();
        assertThat(set.contains("10.15.255.255")).isFalse();
        assertThat(set.contains("10.32.0.0")).isFalse();
        assertThat(set.contains("11.16.0.0")).isFalse();
    }

    @Test
    void wholeBytePrefixesAndSingleAddresses() {
        CidrSet set = CidrSet.parse(List.of("192.168.0.0/16", "10.0.0.1/32", "2001:db8::/32"));
        assertThat(set.contains("192.168.255.1")).isTrue();
        assertThat(set.contains("192.169.0.1")).isFalse();
        assertThat(set.contains("10.0.0.1")).isTrue();
        assertThat(set.contains("10.0.0.2")).isFalse();
        assertThat(set.contains("2001:db8:ffff::1")).isTrue();
        assertThat(set.contains("2001:db9::1")).isFalse();
        assertThat(set.contains("not-an-address")).isFalse();
        assertThat(CidrSet.parse(List.of("0.0.0.0/0")).contains("203.0.113.9")).isTrue();
        assertThat(CidrSet.parse(List.of("0.0.0.0/0")).contains("::1")).as("another family").isFalse();
    }

    @Test
    void prefixLengthsUpToTheAddressSize() {
        assertThat(CidrSet.problem("10.0.0.1/32")).isNull();
        assertThat(CidrSet.problem("10.0.0.1/33")).isEqualTo("allowed range prefix must be 0 to 32");
        assertThat(CidrSet.problem("::1/128")).isNull();
        assertThat(CidrSet.problem("::1/129")).isEqualTo("allowed range prefix must be 0 to 128");
        assertThat(CidrSet.problem("10.0.0.0/")).isEqualTo("allowed range prefix must be 0 to 32");
        assertThat(CidrSet.problem("10.0.0.0/0008")).isEqualTo("allowed range prefix must be 0 to 32");
        assertThat(CidrSet.problem("/8")).isEqualTo(NOT_LITERAL);
        assertThat(CidrSet.problem("10.16.0.0/11")).isEqualTo("allowed range has address bits set beyond its /11 prefix");
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/8", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(NOT_LITERAL);
    }

    @Test
    void ipv6DigitsAtTheEdgesOfEachRange() {
        for (String ok : new String[] {"a::1", "f::1", "A::1", "F::1", "0::9", "9::0"}) {
            assertThat(CidrSet.problem(ok)).as(ok).isNull();
        }
        for (String bad : new String[] {"g::1", "G::1", "`::1", "@::1", "/::1", "::1x"}) {
            assertThat(CidrSet.problem(bad)).as(bad).isEqualTo(NOT_LITERAL);
        }
    }

    @Test
    void literalsUpTo45Characters() {
        String longest = "0000:0000:0000:0000:0000:ffff:255.255.255.255";
        assertThat(longest).hasSize(45);
        assertThat(CidrSet.literal(longest)).as("an IPv4-mapped address reads as its IPv4 one").hasSize(4);
        assertThat(CidrSet.literal("0" + longest)).isNull();
        assertThat(CidrSet.literal("")).isNull();
        assertThat(CidrSet.literal(null)).isNull();
    }

    @Test
    void ipv4OctetsAreDecimalZeroTo255WithoutLeadingZeros() {
        assertThat(CidrSet.literal("0.0.0.0")).containsExactly(0, 0, 0, 0);
        assertThat(CidrSet.literal("255.255.255.255")).containsExactly(-1, -1, -1, -1);
        for (String bad : new String[] {"256.0.0.1", "01.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.1000", ".1.2.3",
            "1.2.3.4."}) {
            assertThat(CidrSet.literal(bad)).as(bad).isNull();
        }
    }
}
