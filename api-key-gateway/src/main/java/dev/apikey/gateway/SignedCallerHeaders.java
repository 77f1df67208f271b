package dev.apikey.gateway;

import dev.apikey.forwarded.ForwardedCaller;
import dev.apikey.forwarded.SignedCaller;
import dev.apikey.model.ApiKeyPrincipal;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The last word on the headers the gateway sends upstream: every forwarded-caller header is removed (whichever filter
 * put it there), and, for a request whose key was verified, the caller is added and signed ({@link SignedCaller}) over
 * the method and the path and query of the URL the request is sent to, as the routing filter sends it. Headers an
 * earlier headers filter copied (plain {@link HttpHeaders}) are edited in place; the request's own are copied.
 *
 * <p>Last of the request headers filters. Thread-safe.
 */
public final class SignedCallerHeaders implements HttpHeadersFilter, Ordered {

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
        HttpHeaders out;
        if (input.getClass() == HttpHeaders.class && input != exchange.getRequest().getHeaders()) {
            // The copy an earlier headers filter made for this request (Spring Cloud Gateway's own each make one):
            // edited in place rather than copied once more.
            out = input;
            List<String> forwarded = null;
            for (String name : input.headerNames()) {
                if (signer.names().strips(name)) {
                    if (forwarded == null) {
                        forwarded = new ArrayList<>(2);
                    }
                    forwarded.add(name);
                }
            }
            if (forwarded != null) {
                forwarded.forEach(input::remove);
            }
        } else {
            // The request's own headers (read-only), or a kind of headers this does not know: copied.
            HttpHeaders copy = new HttpHeaders();
            input.forEach((name, values) -> {
                if (!signer.names().strips(name)) {
                    copy.put(name, values);
                }
            });
            out = copy;
        }
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
