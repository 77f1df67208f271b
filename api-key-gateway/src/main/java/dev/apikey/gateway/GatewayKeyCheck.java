package dev.apikey.gateway;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyHeaderFault;
import dev.apikey.model.RequestPaths;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.forwarded.ForwardedHeaders;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The one key check of the gateway's filters ({@link ApiKeyGlobalFilter}, {@link ApiKeyGatewayFilterFactory}): every
 * request screened first as api-key-servlet's {@code ApiKeyFilter} screens it (a path not in canonical form refused as
 * {@code non_canonical_path}), then the key taken as that filter takes it ({@code X-Api-Key} or {@code Authorization: Bearer}, each
 * at most once, the same key if both; a key in the query string refused as {@code api_key_in_url} and never read),
 * verified for the route's scope and the connection's peer address, refused with the core's problem. Granted: the
 * {@link ApiKeyPrincipal} is the exchange attribute {@link #PRINCIPAL_ATTRIBUTE}, and the key's headers are removed
 * before the request goes on (the upstream gets the signed caller, never the secret).
 *
 * <p>The verify runs on the event loop when {@link ApiKeys#verifyNow(VerifyRequest)} can answer without I/O, else on
 * the bounded scheduler given; a full scheduler answers {@code 503 overloaded}. The {@code Host} header is never read.
 *
 * <p>Thread-safe.
 */
public final class GatewayKeyCheck {

    /** The exchange attribute that holds the verified {@link ApiKeyPrincipal}, as the servlet filter's attribute. */
    public static final String PRINCIPAL_ATTRIBUTE = "dev.apikey.principal";
    /** The route path variable that names the tenant a key must belong to: {@code Path=/api/tenants/{tenantId}/**}. */
    static final String TENANT_VARIABLE = "tenantId";
    /**
     * The request a strip found without forwarded-caller headers (or made so): a later strip of an exchange holding
     * that very request (a route's own filter after the global one) does not read its headers again, while an exchange
     * holding another request (the unstripped original, or one a filter rebuilt since) is read again. Attributes are
     * the server's own; a client cannot set one.
     */
    static final String STRIPPED_ATTRIBUTE = "dev.apikey.gateway.stripped";
    /** The key's own header (the other is {@code Authorization}). */
    private static final String KEY_HEADER = "X-Api-Key";
    /** The headers a key comes in, removed once it is verified. */
    private static final List<String> KEY_HEADERS = List.of(KEY_HEADER, HttpHeaders.AUTHORIZATION);

    private final ApiKeys apiKeys;
    private final GatewayProblems problems;
    private final ForwardedHeaders names;
    private final Scheduler verifyScheduler;

    /**
     * A check over a verifier.
     *
     * @param apiKeys         the verifier
     * @param names           the forwarded headers' names, stripped from every request
     * @param realm           the realm of {@code WWW-Authenticate}, 1 to 64 of {@code [A-Za-z0-9 ._-]}
     * @param problemTypeBase the base of each problem's {@code type} ({@link dev.apikey.ProblemTypes#requireBase})
     * @param verifyScheduler where a verify that may block runs: a bounded one (its queue's limit answers
     *                        {@code overloaded})
     * @throws IllegalArgumentException naming the argument and its rule
     */
    public GatewayKeyCheck(ApiKeys apiKeys, ForwardedHeaders names, String realm, String problemTypeBase,
            Scheduler verifyScheduler) {
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.names = Objects.requireNonNull(names, "names");
        Objects.requireNonNull(realm, "realm");
        if (!realm.matches("[A-Za-z0-9 ._-]{1,64}")) {
            throw new IllegalArgumentException("realm must be 1 to 64 of [A-Za-z0-9 ._-]");
        }
        this.problems = new GatewayProblems(realm, dev.apikey.ProblemTypes.requireBase(problemTypeBase));
        this.verifyScheduler = Objects.requireNonNull(verifyScheduler, "verifyScheduler");
    }

    /** {@return the verifier} */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** {@return the forwarded headers' names} */
    public ForwardedHeaders names() {
        return names;
    }

    /**
     * The exchange without any incoming forwarded-caller header ({@link ForwardedHeaders#strips}): a client must never
     * be able to say who it is in the gateway's words. Done on every request, public routes too.
     *
     * @param exchange the exchange
     * @return the same exchange if there was none, or once they are removed where the server holds them
     *         ({@link ServerHeaders}); else an exchange rebuilt without them
     */
    public ServerWebExchange strip(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (exchange.getAttribute(STRIPPED_ATTRIBUTE) == request) {
            return exchange; // this very request was found clean earlier in the chain (the global filter's strip)
        }
        List<String> spoofed = spoofedIn(request);
        ServerWebExchange stripped = spoofed.isEmpty() ? exchange : ServerHeaders.without(exchange, spoofed);
        stripped.getAttributes().put(STRIPPED_ATTRIBUTE, stripped.getRequest());
        return stripped;
    }

    /**
     * {@return the names of the forwarded-caller headers a request holds}: read where the server holds them when it
     * does ({@link ServerHeaders}), without copying every name into a set as the request's view of them would.
     */
    private List<String> spoofedIn(ServerHttpRequest request) {
        List<String> spoofed = null;
        io.netty.handler.codec.http.HttpHeaders server = ServerHeaders.of(request);
        if (server != null) {
            Iterator<Map.Entry<CharSequence, CharSequence>> it = server.iteratorCharSequence();
            while (it.hasNext()) {
                spoofed = withStripped(spoofed, it.next().getKey().toString());
            }
        } else {
            for (String name : request.getHeaders().headerNames()) {
                spoofed = withStripped(spoofed, name);
            }
        }
        return spoofed == null ? List.of() : spoofed;
    }

    /** {@return the list, made on the first name to strip, with {@code name} added if it is one} */
    private List<String> withStripped(List<String> spoofed, String name) {
        if (!names.strips(name)) {
            return spoofed;
        }
        List<String> list = spoofed == null ? new ArrayList<>(2) : spoofed;
        list.add(name);
        return list;
    }

    /**
     * Verifies the request's key for a scope and goes on with the chain, or answers the refusal.
     *
     * @param exchange the exchange, stripped
     * @param chain    the rest of the chain
     * @param scope    the scope the route needs, declared in the catalog; {@code null} for any valid key
     * @return completion
     */
    public Mono<Void> check(ServerWebExchange exchange, GatewayFilterChain chain, String scope) {
        return check(exchange, chain, scope, 1);
    }

    /**
     * Verifies the request's key for a scope at a cost and goes on with the chain, or answers the refusal.
     *
     * @param exchange the exchange, stripped
     * @param chain    the rest of the chain
     * @param scope    the scope the route needs, declared in the catalog; {@code null} for any valid key
     * @param cost     what the call costs, in units of every allowance of the key and its tenant: 1 to
     *                 {@value VerifyRequest#MAX_COST}, checked when the route is built
     * @return completion
     * @throws IllegalArgumentException if cost is out of range
     */
    public Mono<Void> check(ServerWebExchange exchange, GatewayFilterChain chain, String scope, long cost) {
        ServerHttpRequest request = exchange.getRequest();
        Mono<Void> unsafe = screen(exchange);
        if (unsafe != null) {
            return unsafe;
        }
        HttpHeaders headers = request.getHeaders();
        List<String> apiKeyValues = headers.get(KEY_HEADER);
        List<String> authorizationValues = headers.get(HttpHeaders.AUTHORIZATION);
        String apiKey = first(apiKeyValues);
        String authorization = first(authorizationValues);
        KeyHeaderFault fault = KeyHeaderFault.of(apiKey, apiKeyValues != null && apiKeyValues.size() > 1,
                authorization, authorizationValues != null && authorizationValues.size() > 1);
        if (fault != null) {
            return problems.send(exchange.getResponse(), Failure.MALFORMED_REQUEST, fault.detail());
        }
        VerifyRequest asked = VerifyRequest.header(apiKey != null ? apiKey : authorization);
        if (scope != null) {
            asked = asked.scope(scope);
        }
        if (cost != 1) {
            asked = asked.cost(cost);
        }
        String peer = peer(ServerHeaders.connectionPeer(request));
        if (peer != null) {
            asked = asked.remoteAddress(peer);
        }
        VerifyRequest verifyRequest = asked;
        Optional<Verification> now = apiKeys.verifyNow(verifyRequest);
        if (now.isPresent()) {
            // A cache hit (the usual case) is answered here, on the event loop, without an operator per request.
            return answer(exchange, chain, now.get());
        }
        return Mono.fromCallable(() -> apiKeys.verify(verifyRequest)).subscribeOn(verifyScheduler)
                .flatMap(v -> answer(exchange, chain, v))
                .onErrorResume(RejectedExecutionException.class, e -> problems.send(exchange.getResponse(),
                        Failure.OVERLOADED, Failure.OVERLOADED.detail()));
    }

    /**
     * Lets a request that needs no key go on, once screened as {@link #check} screens every request first: a path not
     * in canonical form is refused ({@code non_canonical_path}), and so is a key in the query string
     * ({@code api_key_in_url}, never read), so that neither reaches an upstream. A key the caller sent in its headers
     * is removed, as on a granted request.
     *
     * @param exchange the exchange, stripped
     * @param chain    the rest of the chain
     * @return completion
     */
    public Mono<Void> pass(ServerWebExchange exchange, GatewayFilterChain chain) {
        Mono<Void> unsafe = screen(exchange);
        return unsafe != null ? unsafe : chain.filter(withoutCallersKey(exchange));
    }

    /**
     * {@return the exchange without a key the caller sent to a route that checks none}: {@code X-Api-Key} whatever it
     * holds, and {@code Authorization} when it holds a key of this verifier's format, so that the caller's key goes no
     * further than the gateway on a public route either. Any other {@code Authorization} (a token or a login for the
     * upstream itself) goes on.
     */
    private ServerWebExchange withoutCallersKey(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        boolean apiKey = headers.containsHeader(KEY_HEADER);
        List<String> authorization = headers.get(HttpHeaders.AUTHORIZATION);
        boolean keyInAuthorization = false;
        if (authorization != null) {
            for (String value : authorization) {
                keyInAuthorization |= holdsKey(value);
            }
        }
        if (!apiKey && !keyInAuthorization) {
            return exchange;
        }
        return ServerHeaders.without(exchange, !keyInAuthorization ? List.of(KEY_HEADER)
                : apiKey ? KEY_HEADERS : List.of(HttpHeaders.AUTHORIZATION));
    }

    /** The servlet filter's first two screens, in its order; the refusal, or null to go on. */
    private Mono<Void> screen(ServerWebExchange exchange) {
        java.net.URI uri = exchange.getRequest().getURI();
        if (!RequestPaths.isCanonical(uri.getRawPath(), uri.getPath())) {
            return problems.send(exchange.getResponse(), Failure.NON_CANONICAL_PATH,
                    Failure.NON_CANONICAL_PATH.detail());
        }
        if (apiKeys.keyFormat().inQuery(uri.getRawQuery())) {
            return problems.send(exchange.getResponse(), Failure.API_KEY_IN_URL, Failure.API_KEY_IN_URL.detail());
        }
        return null;
    }

    private Mono<Void> answer(ServerWebExchange exchange, GatewayFilterChain chain, Verification v) {
        if (!v.isGranted()) {
            return problems.send(exchange.getResponse(), v);
        }
        ApiKeyPrincipal principal = v.principal().orElseThrow();
        // A route's {tenantId} path segment names the tenant the key must belong to, as in ApiKeyFilter's routes.
        String pathTenant = ServerWebExchangeUtils.getUriTemplateVariables(exchange).get(TENANT_VARIABLE);
        if (pathTenant != null && !pathTenant.equals(principal.tenantId().orElse(null))) {
            return problems.send(exchange.getResponse(), Verification.tenantMismatch());
        }
        // The upstream gets the signed caller; the key itself goes no further than the gateway.
        ServerWebExchange granted = withoutKey(exchange);
        granted.getAttributes().put(PRINCIPAL_ATTRIBUTE, principal);
        return chain.filter(granted);
    }

    /**
     * {@return whether an {@code Authorization} value holds a key this verifier takes}: one of its format anywhere in
     * it, or, in one of its comma-separated parts ({@code Bearer} or bare), a key of a legacy format it declared.
     */
    private boolean holdsKey(String value) {
        if (apiKeys.keyFormat().containsKey(value)) {
            return true;
        }
        List<dev.apikey.model.LegacyFormat> legacy = apiKeys.legacy().formats();
        if (legacy.isEmpty()) {
            return false;
        }
        for (String part : value.split(",", -1)) {
            String token = part.strip();
            if (token.length() > 6 && token.regionMatches(true, 0, "Bearer", 0, 6)
                    && Character.isWhitespace(token.charAt(6))) {
                token = token.substring(6).strip();
            }
            byte[] b = token.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (dev.apikey.model.LegacyFormat format : legacy) {
                if (format.matches(b, 0, b.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The exchange without the key's headers, for every filter after this one ({@link ServerHeaders#without}). */
    static ServerWebExchange withoutKey(ServerWebExchange exchange) {
        return ServerHeaders.without(exchange, KEY_HEADERS);
    }

    private static String peer(InetSocketAddress address) {
        return address == null || address.getAddress() == null ? null : address.getAddress().getHostAddress();
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return "GatewayKeyCheck[" + problems + ", " + names + "]";
    }
}
