package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.HmacSha256Hasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.internal.CidrSet;
import dev.apikey.spi.SecretHasher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz targets for the parsers that read what a store or a host hands over: CIDR allow lists and PHC hash
 * strings. Each checks against a plain reference where one exists and otherwise that nothing throws. Corpus under
 * {@code src/test/resources/dev/apikey/ParsersFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class ParsersFuzzTest {

    private static final Pattern IPV4 = Pattern.compile(
            "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})(?:/([0-9]{1,3}))?");

    /** IPv4 ranges as a 32-bit network and mask, the obvious way; {@code null} for anything else. */
    private static long[] referenceIpv4(String cidr) {
        Matcher m = IPV4.matcher(cidr);
        if (!m.matches()) {
            return null;
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return null;
            }
            address = address << 8 | octet;
        }
        int prefix = m.group(5) == null ? 32 : Integer.parseInt(m.group(5));
        if (prefix > 32) {
            return null;
        }
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (address & ~mask & 0xffffffffL) == 0 ? new long[] {address, mask} : null;
    }

    private static String dotted(long address) {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    @FuzzTest(maxDuration = "5m")
    void cidrParsingAgreesWithThePlainReading(FuzzedDataProvider data) {
        String cidr = data.consumeString(64);
        String probe = data.consumeRemainingAsString();
        String problem = CidrSet.problem(cidr);
        if (!cidr.contains(":")) {
            long[] reference = referenceIpv4(cidr);
            assertThat(problem == null).as("accepted: %s", cidr).isEqualTo(reference != null);
            if (reference != null) {
                CidrSet set = CidrSet.parse(List.of(cidr));
                assertThat(set.contains(dotted(reference[0]))).isTrue();
                assertThat(set.contains(dotted(reference[0] | ~reference[1] & 0xffffffffL))).isTrue();
                long[] probed = referenceIpv4(probe);
                if (probed != null && !probe.contains("/")) {
                    assertThat(set.contains(probe)).as("%s in %s", probe, cidr)
                            .isEqualTo((probed[0] & reference[1]) == reference[0]);
                }
            }
        }
        if (problem == null) {
            CidrSet set = CidrSet.parse(List.of(cidr));
            set.contains(probe);
            int slash = cidr.indexOf('/');
            assertThat(set.contains(slash < 0 ? cidr : cidr.substring(0, slash))).as("own network of %s", cidr).isTrue();
        }
    }

    private static final byte[] SECRET = "3kTz9QbCxV7mN2pL8rW4sY6tU1oI5eA0".getBytes(StandardCharsets.US_ASCII);
    private static final SecretHasher SHA256 = Sha256Hasher.create();
    private static final SecretHasher HMAC = HmacSha256Hasher.builder().pepper("p1", new byte[32]).build();
    private static final Argon2idHasher ARGON2 = TestKeys.cheapArgon2();
    private static final List<String> REAL = List.of(SHA256.hash(SECRET), HMAC.hash(SECRET), ARGON2.hash(SECRET));
    private static final Pattern ARGON2_COST = Pattern.compile("\\$m=([0-9]{1,7}),t=([0-9]{1,3}),");

    /** A stored hash: any text, or a real one bent at one place. */
    private static String storedHash(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeRemainingAsString();
        }
        String real = REAL.get(data.consumeInt(0, REAL.size() - 1));
        int at = data.consumeInt(0, real.length());
        int cut = data.consumeInt(0, real.length() - at);
        return real.substring(0, at) + data.consumeRemainingAsString() + real.substring(at + cut);
    }

    @FuzzTest(maxDuration = "5m")
    void storedHashesNeverThrowAndMatchOnlyWhenWellFormed(FuzzedDataProvider data) {
        String stored = storedHash(data);
        for (SecretHasher hasher : List.of(SHA256, HMAC, ARGON2)) {
            boolean wellFormed = hasher.isWellFormed(stored);
            hasher.needsRehash(stored);
            Matcher cost = ARGON2_COST.matcher(stored);
            boolean cheap = hasher != ARGON2 || (cost.find() && Integer.parseInt(cost.group(1)) <= 4096
                    && Integer.parseInt(cost.group(2)) <= 4);
            if (cheap && hasher.verify(SECRET, stored)) {
                assertThat(wellFormed).as("matched but not well-formed: %s", stored).isTrue();
                assertThat(stored).startsWith("$" + hasher.algorithm() + "$");
            }
        }
    }
}
