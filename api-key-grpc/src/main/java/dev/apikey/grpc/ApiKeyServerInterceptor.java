package dev.apikey.grpc;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API-key authentication for a grpc-java server: every call's key (metadata {@code x-api-key: <key>} or
 * {@code authorization: Bearer <key>}) is verified with the scope its method requires, and the call either goes on
 * with the caller's principal in the {@link Context} ({@link #PRINCIPAL}) or is closed with a status whose details
 * say why: UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED or UNAVAILABLE, a {@code google.rpc.ErrorInfo}
 * whose reason is our failure code, and a {@code google.rpc.RetryInfo} where the client should retry later.
 *
 * <pre>{@code
 * Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
 *         .addService(ServerInterceptors.intercept(service, ApiKeyServerInterceptor.builder(apiKeys)
 *                 .scope("events.Events/List", "events:read")
 *                 .scope("events.Events/Search", "events:read", 10)   // each call costs 10
 *                 .build()))
 *         .build();
 * }</pre>
 *
 * <p>A call costs 1 unit of every allowance of the key and its tenant (a rate limit, a quota), or what its method's
 * mapping says ({@link Builder#scope(String, String, long)}); a call whose cost does not fit is refused
 * (RESOURCE_EXHAUSTED, {@code rate_limited} or {@code quota_exceeded}) and spends nothing.
 *
 * <p>Secure by default: a method with no scope mapped is refused (UNIMPLEMENTED, as grpc answers a method it does not
 * know) unless {@link Builder#defaultScope(String)} names the scope for those. The key is verified on the thread grpc
 * starts the call on (the server's executor, never Netty's event loop), so a store read may block it; keep that
 * executor a pool. The caller's address is the transport's peer address, never a header. Nothing of the metadata is
 * logged or answered. Immutable and thread-safe.
 */
public final class ApiKeyServerInterceptor implements ServerInterceptor {

    /** The verified caller of the current call: {@code ApiKeyServerInterceptor.PRINCIPAL.get()} in a handler. */
    public static final Context.Key<ApiKeyPrincipal> PRINCIPAL = Context.key("dev.apikey.principal");

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyServerInterceptor.class);
    private static final Status UNMAPPED = Status.UNIMPLEMENTED.withDescription("Method not found.");

    private final ApiKeys apiKeys;
    private final Map<String, String> scopes;
    /** The cost of each method that costs more than 1. */
    private final Map<String, Long> costs;
    private final Set<String> publicMethods;
    private final String defaultScope;
    /**
     * Methods already reported as unmapped: a warning each, not one per call. A fallback handler registry can take
     * any method name a client sends, so at most {@value #MAX_REPORTED} are remembered (and warned about).
     */
    private final Set<String> reportedUnmapped = ConcurrentHashMap.newKeySet();
    private static final int MAX_REPORTED = 1000;

    private ApiKeyServerInterceptor(Builder builder) {
        this.apiKeys = builder.apiKeys;
        this.scopes = Map.copyOf(builder.scopes);
        this.costs = Map.copyOf(builder.costs);
        this.publicMethods = Set.copyOf(builder.publicMethods);
        this.defaultScope = builder.defaultScope;
    }

    /**
     * Starts configuring an interceptor that verifies with these keys.
     *
     * @param apiKeys the keys to verify against
     * @return a builder with no method mapped and unmapped methods refused
     * @throws NullPointerException if apiKeys is null
     */
    public static Builder builder(ApiKeys apiKeys) {
        return new Builder(Objects.requireNonNull(apiKeys, "apiKeys"));
    }

    /**
     * Verifies the call's key before the call reaches its handler.
     *
     * @param call    the call
     * @param headers its metadata
     * @param next    the rest of the chain
     * @return the listener of the call going on, or one that ignores a refused call's messages
     */
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (publicMethods.contains(method)) {
            return next.startCall(call, headers);
        }
        String scope = scopes.getOrDefault(method, defaultScope);
        if (scope == null) {
            if (reportedUnmapped.size() < MAX_REPORTED && reportedUnmapped.add(method)) {
                LOG.warn("gRPC method {} has no scope mapped and no default scope is set: its calls are refused",
                        method);
            }
            // Trailers are the call's own: the transport writes the status into them.
            return refuse(call, new Refusals.Refusal(UNMAPPED, new Metadata()));
        }
        KeyMetadata key = KeyMetadata.of(headers);
        if (key.refusal() != null) {
            return refuse(call, Refusals.of(Failure.MALFORMED_REQUEST, key.refusal(), null, null));
        }
        VerifyRequest request = VerifyRequest.header(key.header()).scope(scope);
        Long cost = costs.isEmpty() ? null : costs.get(method);
        if (cost != null) {
            request = request.cost(cost);
        }
        String address = remoteAddress(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        if (address != null) {
            request = request.remoteAddress(address);
        }
        Verification verification = apiKeys.verify(request);
        ApiKeyPrincipal principal = verification.principal().orElse(null);
        if (principal != null) {
            return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, principal), call, headers, next);
        }
        Failure failure = verification.failure().orElseThrow();
        return refuse(call, Refusals.of(failure, verification.detail().orElse(failure.detail()),
                verification.missingScope().orElse(null), verification.retryAfter().orElse(null)));
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Refusals.Refusal refusal) {
        call.close(refusal.status(), refusal.trailers());
        return new ServerCall.Listener<>() {
        };
    }

    /** The IP literal of an IP peer (without an IPv6 zone); {@code null} for another transport (in-process). */
    static String remoteAddress(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        String literal = inet.getAddress().getHostAddress();
        int zone = literal.indexOf('%');
        return zone < 0 ? literal : literal.substring(0, zone);
    }

    @Override
    public String toString() {
        return "ApiKeyServerInterceptor[" + scopes.size() + " methods mapped"
                + (costs.isEmpty() ? "" : " (" + costs.size() + " costing more than 1)") + ", "
                + publicMethods.size() + " public, "
                + (defaultScope == null ? "others refused" : "others need " + defaultScope) + "]";
    }

    /** Configures an {@link ApiKeyServerInterceptor}; not thread-safe. */
    public static final class Builder {

        private final ApiKeys apiKeys;
        private final Map<String, String> scopes = new LinkedHashMap<>();
        private final Map<String, Long> costs = new LinkedHashMap<>();
        private final Set<String> publicMethods = new java.util.LinkedHashSet<>();
        private String defaultScope;

        private Builder(ApiKeys apiKeys) {
            this.apiKeys = apiKeys;
        }

        /**
         * Requires a scope for calls of one method.
         *
         * @param fullMethodName the method's full name, {@code package.Service/Method} (as
         *                       {@code MethodDescriptor.getFullMethodName()} gives it)
         * @param scope          a scope of the catalog that the key must hold
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if the name is not {@code service/method} or is mapped already
         * @throws dev.apikey.model.UnknownScopeException if the scope
         *                                  is not declared in the catalog
         */
        public Builder scope(String fullMethodName, String scope) {
            return scope(fullMethodName, scope, 1);
        }

        /**
         * Requires a scope for calls of one method, each call costing {@code cost} units of every allowance of the
         * key and its tenant (a rate limit, a quota) instead of 1: a search that costs 10, a read 1.
         *
         * @param fullMethodName the method's full name, {@code package.Service/Method}
         * @param scope          a scope of the catalog that the key must hold
         * @param cost           what a call costs, 1 to {@value VerifyRequest#MAX_COST}
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if the name is not {@code service/method} or is mapped already, or the
         *                                  cost is out of range
         * @throws dev.apikey.model.UnknownScopeException if the scope
         *                                  is not declared in the catalog
         */
        public Builder scope(String fullMethodName, String scope, long cost) {
            Objects.requireNonNull(fullMethodName, "fullMethodName");
            Objects.requireNonNull(scope, "scope");
            requireNew(fullMethodName);
            apiKeys.scopes().requireDeclared(List.of(scope));
            VerifyRequest.requireCost(cost, " for '" + fullMethodName + "'");
            scopes.put(fullMethodName, scope);
            if (cost != 1) {
                costs.put(fullMethodName, cost);
            }
            return this;
        }

        /**
         * Lets calls of one method through without a key, its metadata not read, and no principal in their context:
         * for a health check ({@code grpc.health.v1.Health/Check}) or reflection on a server whose other methods need
         * keys.
         *
         * @param fullMethodName the method's full name, {@code package.Service/Method}
         * @return this builder
         * @throws NullPointerException     if fullMethodName is null
         * @throws IllegalArgumentException if the name is not {@code service/method} or is mapped already
         */
        public Builder publicMethod(String fullMethodName) {
            requireNew(Objects.requireNonNull(fullMethodName, "fullMethodName"));
            publicMethods.add(fullMethodName);
            return this;
        }

        private void requireNew(String fullMethodName) {
            int slash = fullMethodName.indexOf('/');
            if (slash <= 0 || slash == fullMethodName.length() - 1 || fullMethodName.indexOf('/', slash + 1) >= 0
                    || !fullMethodName.strip().equals(fullMethodName)) {
                throw new IllegalArgumentException("fullMethodName must be 'package.Service/Method', was '"
                        + fullMethodName + "'");
            }
            if (scopes.containsKey(fullMethodName) || publicMethods.contains(fullMethodName)) {
                throw new IllegalArgumentException("fullMethodName '" + fullMethodName + "' is mapped already, to '"
                        + scopes.getOrDefault(fullMethodName, "public") + "'");
            }
        }

        /**
         * Requires a scope for calls of each method of a map.
         *
         * @param scopesByMethod full method name to scope, each as {@link #scope(String, String)} takes them
         * @return this builder
         * @throws NullPointerException     if the map, a name or a scope is null
         * @throws IllegalArgumentException as {@link #scope(String, String)} does
         */
        public Builder scopes(Map<String, String> scopesByMethod) {
            Objects.requireNonNull(scopesByMethod, "scopesByMethod").forEach(this::scope);
            return this;
        }

        /**
         * The scope that methods without one of their own require. Without it, such methods are refused: a method
         * added to the server later is not open by accident.
         *
         * @param scope a scope of the catalog
         * @return this builder
         * @throws NullPointerException     if scope is null
         * @throws dev.apikey.model.UnknownScopeException if the scope is not declared in the catalog
         */
        public Builder defaultScope(String scope) {
            Objects.requireNonNull(scope, "scope");
            apiKeys.scopes().requireDeclared(List.of(scope));
            this.defaultScope = scope;
            return this;
        }

        /**
         * {@return the interceptor}
         *
         * @throws IllegalStateException if no method is mapped and no default scope is set (every call would be
         *                               refused)
         */
        public ApiKeyServerInterceptor build() {
            if (scopes.isEmpty() && publicMethods.isEmpty() && defaultScope == null) {
                throw new IllegalStateException("map at least one method to a scope (scope(method, scope)) or set a "
                        + "defaultScope: as configured, every call would be refused");
            }
            return new ApiKeyServerInterceptor(this);
        }
    }
}
