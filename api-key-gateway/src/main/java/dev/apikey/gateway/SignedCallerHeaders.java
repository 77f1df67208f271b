package dev.apikey.gateway;

import dev.apikey.forwarded.ForwardedCaller;
import dev.apikey.forwarded.ForwardedHeaders;
import dev.apikey.forwarded.SignedCaller;
import dev.apikey.model.ApiKeyPrincipal;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.web.server.ServerWebExchange;

/**
 * The last word on the headers the gateway sends upstream: every forwarded-caller header is removed (whichever filter
 * put it there), and, for a request whose key was verified, the caller is added and signed ({@link SignedCaller}) over
 * the method and the path and query of the URL the request is sent to, as the routing filter sends it. The headers
 * given are never edited: the answer is a copy.
 *
 * <p>Last of the request headers filters. Thread-safe.
 */
public final class SignedCallerHeaders implements HttpHeadersFilter, Ordered {

    /** The most headers a signed caller adds ({@link ForwardedHeaders#all}). */
    private static final int ADDED = 5;

    private final SignedCaller signer;
    private final Clock clock;

    /**
     * A headers filter.
     *
     * @param signer the signer, with the secret the upstream shares
     * @param clock  the clock of the signing time
     */
    public SignedCallerHeaders(SignedCaller signer, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        // Always a copy: a plain HttpHeaders may wrap the request's own headers (new HttpHeaders(h) does not copy in
        // Spring 7), and an edit in place would then write the signed caller into the request itself. Sized for the
        // headers and the five added, as new HttpHeaders() is but for eight, so that neither of its maps grows.
        HttpHeaders out = new HttpHeaders(CollectionUtils.toMultiValueMap(
                new LinkedCaseInsensitiveMap<>(input.size() + ADDED, Locale.ROOT)));
        input.forEach((name, values) -> {
            if (!signer.names().strips(name)) {
                out.put(name, values);
            }
        });
        Object principal = exchange.getAttribute(GatewayKeyCheck.PRINCIPAL_ATTRIBUTE);
        if (principal instanceof ApiKeyPrincipal p) {
            URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
            URI sent = sent(url != null ? url : exchange.getRequest().getURI());
            String path = sent.getRawPath() == null || sent.getRawPath().isEmpty() ? "/" : sent.getRawPath();
            String pathAndQuery = path + (sent.getRawQuery() == null ? "" : "?" + sent.getRawQuery());
            ForwardedCaller caller = ForwardedCaller.of(p.keyId(), p.tenantId().orElse(null), p.scopes());
            signer.sign(exchange.getRequest().getMethod().name(), pathAndQuery, caller, clock.instant())
                    .forEach(out::set);
        }
        return out;
    }

    /**
     * {@return the URL as the routing filter sends it (its ASCII form)}: the same URL when that is its text already
     * ({@link URI#toASCIIString()} then hands back the very string {@link URI#toString()} holds), parsed again only
     * when it had characters to encode.
     */
    static URI sent(URI url) {
        String ascii = url.toASCIIString();
        return ascii == url.toString() ? url : URI.create(ascii);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public String toString() {
        return "SignedCallerHeaders[" + signer + "]";
    }
}
