package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AllowedAddressesTest {

    private ApiKeys apiKeys;
    private IssuedKey restricted;

    @BeforeEach
    void setUp() {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .hasher(TestKeys.cheapArgon2()).build();
        restricted = apiKeys.create(KeySpec.builder("office").tenantId("92").scopes("events:read")
                .allowedAddresses("203.0.113.0/24", "198.51.100.7", "2001:db8::/32").build());
    }

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    private Verification from(String address) {
        VerifyRequest request = VerifyRequest.header(restricted.plaintext()).scope("events:read");
        return apiKeys.verify(address == null ? request : request.remoteAddress(address));
    }

    @Test
    void callersInsideTheRangesAreGranted() {
        assertThat(from("203.0.113.1").isGranted()).isTrue();
        assertThat(from("203.0.113.255").isGranted()).isTrue();
        assertThat(from("198.51.100.7").isGranted()).isTrue();
        assertThat(from("2001:db8:1234::1").isGranted()).isTrue();
        assertThat(from("::ffff:203.0.113.9").isGranted()).as("IPv4-mapped IPv6").isTrue();
        assertThat(restricted.info().attributes().allowedAddresses()).containsExactly("203.0.113.0/24", "198.51.100.7",
                "2001:db8::/32");
    }

    @Test
    void callersOutsideOrUnknownAreRefusedWithIpNotAllowed() {
        for (String address : new String[] {"203.0.114.1", "198.51.100.8", "2001:db9::1", "::1", null, "",
            "localhost", "203.0.113.1.evil.example"}) {
            Verification v = from(address);
            assertThat(v.failure()).as(String.valueOf(address)).contains(Failure.IP_NOT_ALLOWED);
        }
        assertThat(Failure.IP_NOT_ALLOWED.httpStatus()).isEqualTo(403);
        assertThat(apiKeys.verify(restricted.plaintext(), "events:read").failure()).contains(Failure.IP_NOT_ALLOWED);
    }

    @Test
    void theAddressIsCheckedOnlyAfterTheSecret() {
        Verification v = apiKeys.verify(VerifyRequest.header(TestKeys.withSecret(restricted.plaintext(),
                "k".repeat(32))).remoteAddress("192.0.2.1"));

        assertThat(v.failure()).contains(Failure.INVALID_API_KEY);
    }

    @Test
    void keysWithoutRangesWorkFromAnywhere() {
        String open = apiKeys.create(KeySpec.builder("open").scopes("events:read").build()).plaintext();

        assertThat(apiKeys.verify(VerifyRequest.header(open).remoteAddress("192.0.2.1")).isGranted()).isTrue();
        assertThat(apiKeys.verify(open, null).isGranted()).isTrue();
    }

    @Test
    void rangesThatAreNotIpLiteralsAreRefusedAtCreation() {
        for (String bad : new String[] {"example.com", "10.0.0.0/33", "10.0.0.1/24", "2001:db8::/129", "10.0.0/8",
            "1.2.3.4/", "/8", "fe80::1%eth0",
            // Not IPv4 literals, and never looked up as host names: octets over 255, leading zeros, five octets.
            "256.1.1.1", "10.0.0.256/32", "010.0.0.1", "10.0.0.01", "1.2.3.4.5", "1..2.3", "1.2.3.4."}) {
            assertThatIllegalArgumentException().as(bad)
                    .isThrownBy(() -> KeySpec.builder("x").allowedAddresses(bad))
                    .withMessageStartingWith("allowedAddresses");
        }
    }
}
