package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The URL a signature covers is the URL as the routing filter sends it: its ASCII form. */
class SignedCallerHeadersTest {

    @Test
    void anAsciiUrlIsSignedAsItIsAndOneWithOtherCharactersInItsEncodedForm() throws Exception {
        URI ascii = URI.create("http://upstream:8080/events/a%2Bb?q=a%20b&plus=1+2");
        assertThat(SignedCallerHeaders.sent(ascii)).isSameAs(ascii);

        // A route that rewrites the path can leave characters outside ASCII in the URL; the routing filter sends
        // toASCIIString(), so the signed path must be that one.
        URI other = new URI("http", null, "upstream", 8080, "/événements", "q=ü", null);
        URI sent = SignedCallerHeaders.sent(other);
        assertThat(sent.getRawPath()).isEqualTo("/%C3%A9v%C3%A9nements");
        assertThat(sent.getRawQuery()).isEqualTo("q=%C3%BC");
        assertThat(sent.toString()).isEqualTo(other.toASCIIString());
    }
}
