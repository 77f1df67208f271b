package dev.apikey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tenant's webhook URL: https only, and every address its host resolves to public. Names are resolved by a table
 * (no DNS server in tests), as a host's own resolver would. Every address here is a literal, only classified: it is
 * parsed into an {@link InetAddress} without a look-up ({@link #literal}), and nothing is sent to it or bound on it.
 */
class EndpointRulesTest {

    /** An address literal, parsed without any look-up (a name is refused, so no test ever asks a DNS server). */
    private static InetAddress literal(String address) throws UnknownHostException {
        assertThat(address).as("an address literal").matches("[0-9a-fA-F:.]+");
        return InetAddress.getByName(address);
    }

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource({
        "127.0.0.1, a loopback address", "127.1.2.3, a loopback address", "10.1.2.3, a private address",
        "172.16.0.1, a private address", "172.31.255.255, a private address", "192.168.1.1, a private address",
        "169.254.169.254, a link-local address", "0.0.0.0, an unspecified address", "224.0.0.1, a multicast address",
        "100.64.0.1, a reserved address", "192.0.2.1, a reserved address", "198.18.0.1, a reserved address",
        "255.255.255.255, a reserved address", "::1, a loopback address", "::, an unspecified address",
        "fc00::1, a private address", "fd12:3456::1, a private address", "fe80::1, a link-local address",
        "ff02::1, a multicast address", "::ffff:10.0.0.1, a private address", "::ffff:127.0.0.1, a loopback address",
        "64:ff9b::a00:1, a reserved address", "2001:db8::1, a reserved address", "2002:a00:1::1, a reserved address",
        "2001:0:a00:1::1, a reserved address"})
    void refusesNonPublicAddresses(String address, String why) throws UnknownHostException {
        assertThat(PublicAddresses.whyNot(literal(address))).isEqualTo(why);
    }

    @ParameterizedTest
    @CsvSource({"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "2a00:1450:4001::1"})
    void acceptsPublicAddresses(String address) throws UnknownHostException {
        assertThat(PublicAddresses.whyNot(literal(address))).isNull();
    }

    @Test
    void everyAddressANameResolvesToMustBePublic() throws UnknownHostException {
        Map<String, String[]> dns = Map.of("hooks.example.com", new String[] {"93.184.215.14"},
                "mixed.example.com", new String[] {"93.184.215.14", "10.0.0.7"});
        EndpointRules rules = new EndpointRules(host -> {
            String[] a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = literal(a[i]);
            }
            return out;
        });
        assertThat(rules.check("https://hooks.example.com/in?x=1").getHost()).isEqualTo("hooks.example.com");
        assertThatThrownBy(() -> rules.check("https://mixed.example.com/"))
                .isInstanceOf(WebhookUrlException.class).hasMessage("url must resolve only to public addresses: "
                        + "mixed.example.com has no address, or one that is not public");
        assertThatThrownBy(() -> rules.check("https://nowhere.example.com/")).isInstanceOf(UnknownHostException.class);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "http://hooks.example.com/ | url must use https",
        "ftp://hooks.example.com/ | url must use https",
        "/relative | url must use https",
        "https://user:pw@hooks.example.com/ | url must name a host, without user info or fragment",
        "https://hooks.example.com/#x | url must name a host, without user info or fragment",
        "https://hooks.example.com:0/ | url's port must be 1 to 65535",
        "https://hooks.example.com:65536/ | url's port must be 1 to 65535",
        "https://hooks.example.com:99999/ | url's port must be 1 to 65535",
        "'' | url is required: an https URL"})
    void refusesUrlsThatAreNotHttpsOrCarryCredentials(String url, String message) {
        assertThatThrownBy(() -> EndpointRules.parse(url)).isInstanceOf(WebhookUrlException.class)
                .hasMessage(message);
    }

    @Test
    void refusesAnOverlongUrl() {
        assertThatThrownBy(() -> EndpointRules.parse("https://hooks.example.com/" + "a".repeat(2048)))
                .hasMessage("url must be at most 2048 characters");
    }
}
