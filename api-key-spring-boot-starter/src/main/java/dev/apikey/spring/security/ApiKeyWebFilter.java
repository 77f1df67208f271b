package dev.apikey.spring.security;

import dev.apikey.model.Failure;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeyHeaderFault;
import dev.apikey.model.Problem;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import dev.apikey.servlet.ClientAddress;
import dev.apikey.model.RequestPaths;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Authenticates an exchange by its API key, for a reactive Spring Security chain ({@link ApiKeyServerSecurity} adds
 * it at the authentication position). It screens the request as the servlet path does, with the same rules of the
 * core and the servlet module: a path that is not canonical ({@link RequestPaths}: {@code non_canonical_path}), a key
 * in the query string ({@code api_key_in_url}, never read further), the one key header ({@link KeyHeaderFault}:
 * {@code malformed_request}); then verifies the key with the caller's address through the
 * {@link ApiKeyReactiveVerifier} (on the event loop when the cache answers, on its bounded scheduler otherwise). A
 * refused key is answered at once with its problem; a granted one becomes an {@link ApiKeyAuthentication} in the
 * Reactor context of this exchange only (never in a session), and the principal is also the exchange attribute
 * {@code dev.apikey.principal}. A request without a key goes on unauthenticated, for the chain's rules to allow
 * (public routes) or refuse ({@code missing_api_key}). Nothing from the request is logged. Each key is verified at
 * the cost of the chain's {@link ApiKeyExchangeRules} rule matching the request when
 * {@link ApiKeyServerSecurity#apply(org.springframework.security.config.web.server.ServerHttpSecurity,
 * ApiKeyExchangeRules)} added it, else at cost 1. With an {@code ObservationRegistry}, each authentication is an
 * observation whose parent is the request's own, read from the Reactor context.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeyWebFilter implements WebFilter {

    /** The exchange attribute holding the granted key's principal, as the servlet filter's request attribute. */
    public static final String PRINCIPAL_ATTRIBUTE = dev.apikey.servlet.ApiKeyFilter.PRINCIPAL_ATTRIBUTE;

    private static final String X_API_KEY = "X-Api-Key";
    private static final String AUTHORIZATION = "Authorization";
    private static final Problem NON_CANONICAL_PATH = Problem.of(Failure.NON_CANONICAL_PATH,
            Failure.NON_CANONICAL_PATH.detail());
    private static final Problem API_KEY_IN_URL = Problem.of(Failure.API_KEY_IN_URL, Failure.API_KEY_IN_URL.detail());

    private final ApiKeyReactiveVerifier verifier;
    private final ApiKeyAuthentication.ScopeAuthorities authorities;
    private final KeyFormat format;
    private final ApiKeyServerProblemHandler problems;
    private final ApiKeyObservations observations;
    private final ClientAddress client;
    private final BiFunction<ServerHttpRequest, String, String> countries;
    /** What an exchange costs; {@code null}: 1 each. */
    private final ToLongFunction<ServerWebExchange> costs;
    /** Spring's filter chain asks every filter's name for each exchange (its checkpoint): made once. */
    private final String description;

    /**
     * A filter verifying keys with this verifier and answering refusals with this handler.
     *
     * @param verifier  the verifier
     * @param problems  the writer of refusals
     * @param client    how the client's address is found
     * @param countries the request's country (an ISO code, or {@code null} if unknown) from the request and its
     *                  client's address, asked only for a key restricted to countries; {@code null}: every country
     *                  unknown
     */
    public ApiKeyWebFilter(ApiKeyReactiveVerifier verifier, ApiKeyServerProblemHandler problems, ClientAddress client,
            BiFunction<ServerHttpRequest, String, String> countries) {
        this(verifier, problems, client, countries, ApiKeyObservations.NONE);
    }

    /** As above, reporting each authentication to {@code observations}. */
    ApiKeyWebFilter(ApiKeyReactiveVerifier verifier, ApiKeyServerProblemHandler problems, ClientAddress client,
            BiFunction<ServerHttpRequest, String, String> countries, ApiKeyObservations observations) {
        this(verifier, problems, client, countries, observations, null);
    }

    /** As above, each key verified at the cost {@code costs} says ({@code null}: 1). */
    ApiKeyWebFilter(ApiKeyReactiveVerifier verifier, ApiKeyServerProblemHandler problems, ClientAddress client,
            BiFunction<ServerHttpRequest, String, String> countries, ApiKeyObservations observations,
            ToLongFunction<ServerWebExchange> costs) {
        this.costs = costs;
        this.observations = Objects.requireNonNull(observations, "observations");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.format = verifier.apiKeys().keyFormat();
        this.authorities = new ApiKeyAuthentication.ScopeAuthorities(verifier.apiKeys().scopes());
        this.problems = Objects.requireNonNull(problems, "problems");
        this.client = Objects.requireNonNull(client, "client");
        this.countries = countries;
        this.description = "ApiKeyWebFilter[" + problems + ", " + client + "]";
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (observations == ApiKeyObservations.NONE) {
            return filter(exchange, chain, null);
        }
        // The request's own observation (http.server.requests) is in the Reactor context, not in a thread local
        // (unless the host propagates it there): each authentication its child, so a trace shows it in the request.
        return Mono.deferContextual(context -> filter(exchange, chain,
                context.getOrDefault(ApiKeyObservations.REACTOR_CONTEXT_KEY, null)));
    }

    /** The filter, each authentication observed as a child of {@code parent} ({@code null}: of none known). */
    private Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, Object parent) {
        ServerHttpRequest request = exchange.getRequest();
        if (!isCanonical(request)) {
            observations.start(parent).refused(NON_CANONICAL_PATH.code());
            return problems.write(exchange, NON_CANONICAL_PATH);
        }
        if (format.inQuery(request.getURI().getRawQuery())) {
            observations.start(parent).refused(API_KEY_IN_URL.code());
            return problems.write(exchange, API_KEY_IN_URL);
        }
        List<String> apiKeys = request.getHeaders().get(X_API_KEY);
        List<String> authorizations = request.getHeaders().get(AUTHORIZATION);
        String apiKey = first(apiKeys);
        String authorization = first(authorizations);
        KeyHeaderFault fault = KeyHeaderFault.of(apiKey, apiKey != null && apiKeys.size() > 1, authorization,
                authorization != null && authorizations.size() > 1);
        if (fault != null) {
            observations.start(parent).refused(Failure.MALFORMED_REQUEST.code());
            return problems.write(exchange, Problem.of(Failure.MALFORMED_REQUEST, fault.detail()));
        }
        String header = apiKey != null ? apiKey : authorization;
        if (header == null) {
            return chain.filter(exchange);
        }
        ApiKeyObservations.Authentication observed = observations.start(parent);
        VerifyRequest asked = verifyRequest(exchange, request, header);
        Optional<Verification> now;
        try {
            // A cache hit (the usual case) is answered here, on the event loop, without an operator per request.
            now = verifier.apiKeys().verifyNow(asked);
        } catch (RuntimeException e) {
            observed.refused(ApiKeyObservations.ERROR);
            return Mono.error(e);
        }
        if (now.isPresent()) {
            report(observed, now.get());
            return granted(now.get(), exchange, chain);
        }
        return verifier.offloaded(asked)
                .doOnNext(v -> report(observed, v))
                .doOnError(e -> observed.refused(ApiKeyObservations.ERROR))
                .doOnCancel(() -> observed.refused(ApiKeyObservations.ERROR))
                .flatMap(v -> granted(v, exchange, chain));
    }

    private static void report(ApiKeyObservations.Authentication observed, Verification v) {
        if (v.isGranted()) {
            observed.granted(v.principal().orElseThrow());
        } else {
            observed.refused(v.failure().orElseThrow().code());
        }
    }

    private Mono<Void> granted(Verification v, ServerWebExchange exchange, WebFilterChain chain) {
        if (!v.isGranted()) {
            return problems.write(exchange, Problem.of(v));
        }
        ApiKeyAuthentication authentication = authorities.of(v.principal().orElseThrow());
        exchange.getAttributes().put(PRINCIPAL_ATTRIBUTE, authentication.getPrincipal());
        v.principal().flatMap(dev.apikey.model.ApiKeyPrincipal::rotationNotice).ifPresent(notice ->
                exchange.getResponse().getHeaders().set(dev.apikey.servlet.ApiKeyFilter.NOTICE_HEADER, notice));
        return chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
    }

    private VerifyRequest verifyRequest(ServerWebExchange exchange, ServerHttpRequest request, String header) {
        String address = client.of(peerOf(request), name -> ConnectionPeer.header(request, name));
        VerifyRequest asked = VerifyRequest.header(header);
        long cost = costs == null ? 1 : costs.applyAsLong(exchange);
        if (cost != 1) {
            asked = asked.cost(cost);
        }
        if (address != null) {
            asked = asked.remoteAddress(address);
        }
        BiFunction<ServerHttpRequest, String, String> resolver = countries;
        return resolver == null ? asked : asked.country(() -> resolver.apply(request, address));
    }

    /** The connection's address, as {@code getRemoteAddr()} has it; {@code null} if unknown. */
    static String peerOf(ServerHttpRequest request) {
        InetSocketAddress remote = ConnectionPeer.of(request);
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }

    /** The servlet path's rule, on the raw path and the decoded path within the application. */
    private static boolean isCanonical(ServerHttpRequest request) {
        String raw = request.getURI().getRawPath();
        String within = request.getPath().pathWithinApplication().value();
        String decoded;
        try {
            decoded = UriUtils.decode(within.isEmpty() ? "/" : within, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return RequestPaths.isCanonical(raw, decoded);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * The address of the connection a request came on. On Reactor Netty, the connection's own: Spring Boot's
     * {@code server.forward-headers-strategy=native} or {@code framework} (the default of {@code native} on a cloud
     * platform it detects) rewrites the request's remote address from {@code X-Forwarded-For} or {@code Forwarded},
     * headers the client writes; a forwarded address is believed only from {@code apikey.client.trusted-proxies},
     * as on the servlet path. On another server, the request's remote address.
     */
    static final class ConnectionPeer {
        private static final boolean REACTOR_NETTY = org.springframework.util.ClassUtils.isPresent(
                "reactor.netty.http.server.HttpServerRequest", ConnectionPeer.class.getClassLoader());

        private ConnectionPeer() {
        }

        static InetSocketAddress of(ServerHttpRequest request) {
            InetSocketAddress connection = REACTOR_NETTY ? OnReactorNetty.of(request) : null;
            return connection != null ? connection : request.getRemoteAddress();
        }

        /**
         * {@return a header's values as the connection carried them}: on Reactor Netty, the server's own headers, which
         * Spring's {@code ForwardedHeaderTransformer} ({@code framework}) does not remove from, so that a trusted
         * proxy's {@code X-Forwarded-For} is still there to read; elsewhere the request's.
         *
         * @param request the request
         * @param name    the header
         */
        static List<String> header(ServerHttpRequest request, String name) {
            List<String> values = REACTOR_NETTY ? OnReactorNetty.header(request, name) : null;
            return values != null ? values : request.getHeaders().get(name);
        }
    }

    /** Reactor Netty's types, loaded only where it is present. */
    private static final class OnReactorNetty {
        static InetSocketAddress of(ServerHttpRequest request) {
            reactor.netty.http.server.HttpServerRequest server = server(request);
            return server != null && server.connectionRemoteAddress() instanceof InetSocketAddress a ? a : null;
        }

        static List<String> header(ServerHttpRequest request, String name) {
            reactor.netty.http.server.HttpServerRequest server = server(request);
            return server == null ? null : server.requestHeaders().getAll(name);
        }

        private static reactor.netty.http.server.HttpServerRequest server(ServerHttpRequest request) {
            Object server;
            try {
                server = org.springframework.http.server.reactive.ServerHttpRequestDecorator.getNativeRequest(request);
            } catch (IllegalArgumentException | IllegalStateException e) {
                return null; // a request of no server: Spring's mock throws the second, other requests the first
            }
            return server instanceof reactor.netty.http.server.HttpServerRequest r ? r : null;
        }
    }
}
