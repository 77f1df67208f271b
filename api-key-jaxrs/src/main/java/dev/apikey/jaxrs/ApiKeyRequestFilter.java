package dev.apikey.jaxrs;

import dev.apikey.ApiKeys;
import dev.apikey.ProblemTypes;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyHeaderFault;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * API-key authentication for Jakarta REST (JAX-RS) resources marked {@link RequiresApiKey}, on any implementation
 * (tested on Jersey and RESTEasy). Register the built instance with the application. It is a {@link DynamicFeature}:
 * as the application deploys, each resource method that needs a key gets a request filter of its own at
 * {@link Priorities#AUTHENTICATION}, holding the scope the method needs (method over class) and what a call of it
 * costs ({@link RequiresApiKey#cost()}), so that a request asks nothing about its resource; a resource without the
 * annotation is not filtered.
 *
 * <p>The key is taken as api-key-servlet's {@code ApiKeyFilter} takes it: {@code X-Api-Key} or {@code
 * Authorization: Bearer}, each at most once, the same key if both are sent (else {@code malformed_request}); a key
 * in the query string is refused ({@code api_key_in_url}) and never read. Granted: the request's
 * {@link jakarta.ws.rs.core.SecurityContext} has the {@link ApiKeyPrincipal} as {@code getUserPrincipal()}, its
 * scopes as roles ({@code isUserInRole("events:read")}, as in the servlet filter) and
 * {@value #AUTHENTICATION_SCHEME} as authentication scheme; the principal is also the request property
 * {@value #PRINCIPAL_PROPERTY}. Refused: the servlet filter's RFC 9457 problem, status and headers, byte for byte.
 *
 * <p>Jakarta REST has no portable peer address: by default none is passed to the verify (a key restricted to
 * addresses is then refused as {@code ip_not_allowed}). Give one with {@link Builder#peerAddress} from what the
 * container offers (RESTEasy on a servlet container: the {@code HttpServletRequest}'s {@code getRemoteAddr()}).
 * The {@code Host} header is never read. Paths are the implementation's to match: resource matching happened
 * before this filter, so no path spelling is screened here (the servlet filter's {@code non_canonical_path}).
 *
 * <p>Each resource method's scope is checked against the catalog, and its cost against its range, as the application
 * deploys, so a scope the catalog does not declare or a cost out of range fails the start, not a request.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyRequestFilter implements DynamicFeature {

    /** The request property that holds the verified {@link ApiKeyPrincipal}, as the servlet filter's attribute. */
    public static final String PRINCIPAL_PROPERTY = "dev.apikey.principal";
    /** What {@code SecurityContext.getAuthenticationScheme()} answers: the servlet filter's auth type. */
    public static final String AUTHENTICATION_SCHEME = "API_KEY";

    private final ApiKeys apiKeys;
    private final Problems problems;
    private final Function<ContainerRequestContext, String> peerAddress;
    private ApiKeyRequestFilter(Builder b) {
        this.apiKeys = b.apiKeys;
        this.problems = new Problems(b.realm, b.problemTypeBase);
        this.peerAddress = b.peerAddress;
    }

    /**
     * Starts a filter over an {@link ApiKeys}.
     *
     * @param apiKeys the verifier
     * @return a builder
     */
    public static Builder builder(ApiKeys apiKeys) {
        return new Builder(apiKeys);
    }

    /** Configures an {@link ApiKeyRequestFilter}. Not thread-safe. */
    public static final class Builder {
        private final ApiKeys apiKeys;
        private String realm = "api";
        private String problemTypeBase = ProblemTypes.DEFAULT_BASE;
        private Function<ContainerRequestContext, String> peerAddress = request -> null;

        private Builder(ApiKeys apiKeys) {
            this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        }

        /**
         * The realm named in {@code WWW-Authenticate}; default {@code api}.
         *
         * @param realm the realm
         * @return this builder
         * @throws IllegalArgumentException unless 1 to 64 of {@code [A-Za-z0-9 ._-]}
         */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (!realm.matches("[A-Za-z0-9 ._-]{1,64}")) {
                throw new IllegalArgumentException("realm must be 1 to 64 of [A-Za-z0-9 ._-]");
            }
            this.realm = realm;
            return this;
        }

        /**
         * The base of each problem's {@code type}, followed by its code; default {@link ProblemTypes#DEFAULT_BASE}.
         *
         * @param base the base
         * @return this builder
         * @throws IllegalArgumentException naming the rule ({@link ProblemTypes#requireBase(String)})
         */
        public Builder problemTypeBase(String base) {
            this.problemTypeBase = ProblemTypes.requireBase(base);
            return this;
        }

        /**
         * Where the caller's address comes from: the connection's peer as the container tells it (never a header
         * a client can write, and never {@code Host}); {@code null} from the function for unknown. Default: unknown.
         *
         * @param peerAddress the request's peer address, e.g. from RESTEasy's {@code HttpServletRequest}
         * @return this builder
         */
        public Builder peerAddress(Function<ContainerRequestContext, String> peerAddress) {
            this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
            return this;
        }

        /** @return the filter, to register with the application */
        public ApiKeyRequestFilter build() {
            return new ApiKeyRequestFilter(this);
        }
    }

    /**
     * Looks at each resource method as the application deploys (on Jersey and RESTEasy also each method of a
     * sub-resource, as a locator first returns it): one that needs a key has its scope checked against the catalog
     * now, so that a scope the catalog does not declare fails the deployment, not a request later, and so is a cost out
     * of range; it gets its own request filter at {@link Priorities#AUTHENTICATION}, holding that scope and cost. A
     * request then asks nothing about the resource it matched. A method without the annotation (see
     * {@link RequiresApiKey} for where it is looked for) gets no filter.
     *
     * @throws dev.apikey.model.UnknownScopeException if the resource names a scope the catalog does not declare
     * @throws IllegalArgumentException if its cost is not 1 to {@value VerifyRequest#MAX_COST}, naming the method
     * @throws IllegalStateException    if which annotation applies cannot be told (see {@link RequiresApiKey}),
     *                                  naming the methods
     */
    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        RequiresApiKey applies = requirement(resource.getResourceMethod(), resource.getResourceClass());
        if (applies != null) {
            context.register(new ScopedFilter(this, declared(applies.value()), cost(applies.cost(), resource)),
                    Priorities.AUTHENTICATION);
        }
    }

    /** {@code cost} if it is 1 to {@link VerifyRequest#MAX_COST}; else the rule, naming the resource method. */
    private static long cost(long cost, ResourceInfo resource) {
        if (cost == 1) {
            return cost;
        }
        Class<?> type = resource.getResourceClass();
        Method method = resource.getResourceMethod();
        return VerifyRequest.requireCost(cost, " in @RequiresApiKey of " + (type == null ? "?" : type.getName())
                + (method == null ? "" : "." + method.getName()));
    }

    /**
     * The filter of one resource method: what the method needs is known before any request, so the request path is
     * the header, the verify and the security context. Not name-bound: it is registered for its method alone.
     */
    private static final class ScopedFilter implements ContainerRequestFilter {
        private final ApiKeyRequestFilter owner;
        /** Declared in the catalog; "" for any valid key. */
        private final String scope;
        /** 1 to {@link VerifyRequest#MAX_COST}. */
        private final long cost;

        ScopedFilter(ApiKeyRequestFilter owner, String scope, long cost) {
            this.owner = owner;
            this.scope = scope;
            this.cost = cost;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            owner.authenticate(request, scope, cost);
        }

        @Override
        public String toString() {
            return "ApiKeyRequestFilter.ScopedFilter[" + (scope.isEmpty() ? "any scope" : scope)
                    + (cost == 1 ? "" : ", cost " + cost) + "]";
        }
    }

    /**
     * Verifies the request's key for {@code scope} at {@code cost}; refuses with the problem, or sets the security
     * context.
     */
    private void authenticate(ContainerRequestContext request, String scope, long cost) {
        java.net.URI uri;
        try {
            uri = request.getUriInfo().getRequestUri();
        } catch (IllegalArgumentException e) {
            // RESTEasy parses the URI here and throws on a broken escape (%zz); its message holds the URI, and so a
            // key sent in it: answered 400, the message neither sent nor logged.
            request.abortWith(problems.of(Failure.MALFORMED_REQUEST, "The request's URI is not well-formed."));
            return;
        }
        if (apiKeys.keyFormat().inQuery(uri.getRawQuery()) || apiKeys.keyFormat().inQuery(matrixParameters(
                uri.getRawPath()))) {
            request.abortWith(problems.of(Failure.API_KEY_IN_URL, Failure.API_KEY_IN_URL.detail()));
            return;
        }
        List<String> apiKeyValues = request.getHeaders().get("X-Api-Key");
        List<String> authorizationValues = request.getHeaders().get("Authorization");
        String apiKey = first(apiKeyValues);
        String authorization = first(authorizationValues);
        KeyHeaderFault fault = KeyHeaderFault.of(apiKey, apiKeyValues != null && apiKeyValues.size() > 1,
                authorization, authorizationValues != null && authorizationValues.size() > 1);
        if (fault != null) {
            request.abortWith(problems.of(Failure.MALFORMED_REQUEST, fault.detail()));
            return;
        }
        VerifyRequest asked = VerifyRequest.header(apiKey != null ? apiKey : authorization);
        if (!scope.isEmpty()) {
            asked = asked.scope(scope);
        }
        if (cost != 1) {
            asked = asked.cost(cost);
        }
        String peer = peerAddress.apply(request);
        if (peer != null) {
            asked = asked.remoteAddress(peer);
        }
        Verification v = apiKeys.verify(asked);
        if (!v.isGranted()) {
            request.abortWith(problems.of(v));
            return;
        }
        ApiKeyPrincipal principal = v.principal().orElseThrow();
        request.setProperty(PRINCIPAL_PROPERTY, principal);
        request.setSecurityContext(new ApiKeySecurityContext(principal, request.getSecurityContext().isSecure()));
    }

    /**
     * {@return the path's matrix parameters ({@code /events;k=v;x/1}: {@code k=v&x}) as a query string, for the same
     * key-in-URL rule as the query's; null without any} The implementations strip them before matching a resource, so
     * a key there would reach the resource's URL, and the access logs, unseen.
     */
    static String matrixParameters(String rawPath) {
        if (rawPath == null || rawPath.indexOf(';') < 0) {
            return null;
        }
        java.util.StringJoiner parameters = new java.util.StringJoiner("&");
        for (String segment : rawPath.split("/", -1)) {
            int semicolon = segment.indexOf(';');
            if (semicolon >= 0) {
                for (String parameter : segment.substring(semicolon + 1).split(";", -1)) {
                    if (!parameter.isEmpty()) {
                        parameters.add(parameter);
                    }
                }
            }
        }
        return parameters.toString();
    }

    /**
     * The annotation that applies to {@code method} as matched on {@code resource}: the method's own, else that of a
     * method it overrides or implements, else the resource class's, else a superclass's or an interface's; the most
     * specific declaration wins. Looking further than the class and method themselves errs towards needing a key:
     * an annotation a host wrote anywhere on the resource's hierarchy is never silently ignored.
     */
    static RequiresApiKey requirement(Method method, Class<?> resource) {
        Class<?> type = resource != null ? resource : method != null ? method.getDeclaringClass() : null;
        List<Class<?>> hierarchy = hierarchy(type);
        if (method != null) {
            RequiresApiKey ofMethod = ofMethod(bridged(method), type, hierarchy);
            if (ofMethod != null) {
                return ofMethod;
            }
        }
        for (Class<?> t : hierarchy) {
            if (t.isAnnotationPresent(RequiresApiKey.class)) {
                return t.getAnnotation(RequiresApiKey.class);
            }
        }
        return null;
    }

    /**
     * The method's own annotation, else that of the methods it overrides (the nearest; methods of unrelated types,
     * two interfaces, must agree), else, for a method no request method designator marks, that of the resource
     * method it stands for; null if none.
     *
     * @throws IllegalStateException where an annotated method of its name and arity in a type it inherits from is
     *                               not one the filter can tell it overrides, or overridden methods disagree: the
     *                               deployment fails, naming them, rather than leave the method under another scope
     */
    private static RequiresApiKey ofMethod(Method method, Class<?> type, List<Class<?>> hierarchy) {
        if (method.isAnnotationPresent(RequiresApiKey.class)) {
            return method.getAnnotation(RequiresApiKey.class);
        }
        Map<TypeVariable<?>, Type> bound = typeArguments(type);
        Class<?>[] signature = erasures(method.getGenericParameterTypes(), bound);
        Class<?> declaring = method.getDeclaringClass();
        boolean designated = isResourceMethod(method);
        List<Method> overridden = new ArrayList<>();
        List<Method> unmatched = new ArrayList<>();
        for (Class<?> t : hierarchy) {
            for (Method candidate : t.getDeclaredMethods()) {
                if (candidate.equals(method) || !sameNameAndArity(candidate, method)) {
                    continue;
                }
                if (visibleTo(candidate, method)
                        && java.util.Arrays.equals(erasures(candidate.getGenericParameterTypes(), bound), signature)) {
                    designated |= isResourceMethod(candidate);
                    if (candidate.isAnnotationPresent(RequiresApiKey.class)) {
                        overridden.add(candidate);
                    }
                } else if (candidate.isAnnotationPresent(RequiresApiKey.class) && !declaring.isAssignableFrom(t)
                        && !java.lang.reflect.Modifier.isPrivate(candidate.getModifiers())) {
                    unmatched.add(candidate); // in a type the method's class inherits from: perhaps overridden
                }
            }
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalStateException("@RequiresApiKey on " + unmatched.get(0) + " may apply to " + method
                    + ", which it cannot be told apart from; put @RequiresApiKey on " + method.getName()
                    + " itself, or remove the other");
        }
        if (!overridden.isEmpty()) {
            Method nearest = overridden.get(0);
            for (Method other : overridden) {
                if (!other.getDeclaringClass().isAssignableFrom(nearest.getDeclaringClass())
                        && !sameRequirement(other.getAnnotation(RequiresApiKey.class),
                                nearest.getAnnotation(RequiresApiKey.class))) {
                    throw new IllegalStateException("@RequiresApiKey differs on " + nearest + " and " + other
                            + ", both overridden by " + method + "; put @RequiresApiKey on " + method.getName()
                            + " itself");
                }
            }
            return nearest.getAnnotation(RequiresApiKey.class);
        }
        if (!designated) {
            // No request method designator on it nor on what it overrides: the implementation invokes it in place of
            // a resource method of its name (RESTEasy does, for a generic one, an overload that accepts it).
            for (Class<?> t : hierarchy) {
                Method stoodFor = stoodFor(t, method, signature, bound);
                if (stoodFor != null) {
                    return stoodFor.getAnnotation(RequiresApiKey.class);
                }
            }
        }
        return null;
    }

    private static boolean sameRequirement(RequiresApiKey a, RequiresApiKey b) {
        return a.value().equals(b.value()) && a.cost() == b.cost();
    }

    /** {@return the method a bridge stands for in its class (javac's, for a generic override), or the method itself} */
    private static Method bridged(Method method) {
        if (!method.isBridge()) {
            return method;
        }
        for (Method candidate : method.getDeclaringClass().getDeclaredMethods()) {
            if (sameNameAndArity(candidate, method)
                    && accepts(method.getParameterTypes(), candidate.getParameterTypes())) {
                return candidate;
            }
        }
        return method;
    }

    /** The type, its superclasses (nearest first), then the interfaces of each, breadth first; none twice. */
    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            types.add(c);
        }
        Set<Class<?>> seen = new HashSet<>(types);
        Deque<Class<?>> interfaces = new ArrayDeque<>();
        for (Class<?> c : List.copyOf(types)) {
            interfaces.addAll(List.of(c.getInterfaces()));
        }
        while (!interfaces.isEmpty()) {
            Class<?> i = interfaces.removeFirst();
            if (seen.add(i)) {
                types.add(i);
                interfaces.addAll(List.of(i.getInterfaces()));
            }
        }
        return types;
    }

    /**
     * {@return {@code type}'s resource method carrying {@code @RequiresApiKey} that {@code method} may stand for, or
     * null}: its name, a request method designator, and parameters that {@code method}'s accept.
     */
    private static Method stoodFor(Class<?> type, Method method, Class<?>[] signature,
            Map<TypeVariable<?>, Type> bound) {
        for (Method candidate : type.getDeclaredMethods()) {
            if (!sameNameAndArity(candidate, method) || !visibleTo(candidate, method) || !isResourceMethod(candidate)
                    || !candidate.isAnnotationPresent(RequiresApiKey.class)) {
                continue;
            }
            if (accepts(signature, erasures(candidate.getGenericParameterTypes(), bound))) {
                return candidate;
            }
        }
        return null;
    }

    /** {@return whether each of {@code taking} is the type at the same place in {@code given} or a supertype of it} */
    private static boolean accepts(Class<?>[] taking, Class<?>[] given) {
        for (int i = 0; i < taking.length; i++) {
            if (!taking[i].isAssignableFrom(given[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@return whether {@code candidate} is a method of {@code method}'s name and arity: not static, not synthetic} */
    private static boolean sameNameAndArity(Method candidate, Method method) {
        return candidate.getName().equals(method.getName())
                && candidate.getParameterCount() == method.getParameterCount() && !candidate.isSynthetic()
                && !java.lang.reflect.Modifier.isStatic(candidate.getModifiers());
    }

    /** {@return whether {@code method} can override {@code candidate}: not private, and package-private in its package} */
    private static boolean visibleTo(Method candidate, Method method) {
        int modifiers = candidate.getModifiers();
        if (java.lang.reflect.Modifier.isPrivate(modifiers)) {
            return false;
        }
        return java.lang.reflect.Modifier.isPublic(modifiers) || java.lang.reflect.Modifier.isProtected(modifiers)
                || candidate.getDeclaringClass().getPackageName().equals(method.getDeclaringClass().getPackageName());
    }

    /** {@return the classes the types erase to, their variables read through {@code bound}} */
    private static Class<?>[] erasures(Type[] types, Map<TypeVariable<?>, Type> bound) {
        Class<?>[] erased = new Class<?>[types.length];
        for (int i = 0; i < types.length; i++) {
            erased[i] = erasure(types[i], bound, 0);
        }
        return erased;
    }

    /** {@return the class a type erases to, its variables read through {@code bound} first} */
    private static Class<?> erasure(Type type, Map<TypeVariable<?>, Type> bound, int depth) {
        if (depth > 32) {
            return Object.class; // a cycle of bindings cannot come from javac; never loop on one
        }
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return java.lang.reflect.Array.newInstance(erasure(a.getGenericComponentType(), bound, depth + 1), 0)
                    .getClass();
        }
        if (type instanceof TypeVariable<?> v) {
            Type value = bound.get(v);
            return erasure(value != null ? value : v.getBounds()[0], bound, depth + 1);
        }
        if (type instanceof WildcardType w) {
            return erasure(w.getUpperBounds()[0], bound, depth + 1);
        }
        return Object.class;
    }

    /**
     * {@return the type arguments {@code type}'s supertypes are given, by variable}: {@code class A implements Api<String>}
     * binds {@code Api}'s {@code T} to {@code String}, and so through every level above it ({@code type}'s own
     * variables stay unbound, read as their first bound).
     */
    private static Map<TypeVariable<?>, Type> typeArguments(Class<?> type) {
        Map<TypeVariable<?>, Type> bound = new HashMap<>();
        Deque<Type> pending = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Type t = pending.removeFirst();
            Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : t instanceof Class<?> c ? c
                    : null;
            if (raw == null || !seen.add(raw)) {
                continue;
            }
            if (t instanceof ParameterizedType p) {
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] arguments = p.getActualTypeArguments();
                for (int i = 0; i < variables.length && i < arguments.length; i++) {
                    Type argument = arguments[i] instanceof TypeVariable<?> v && bound.containsKey(v) ? bound.get(v)
                            : arguments[i];
                    bound.put(variables[i], argument);
                }
            }
            if (raw.getGenericSuperclass() != null) {
                pending.add(raw.getGenericSuperclass());
            }
            pending.addAll(List.of(raw.getGenericInterfaces()));
        }
        return bound;
    }

    /** {@return whether a method carries a request method designator ({@code @GET}, {@code @POST}, ...)} */
    private static boolean isResourceMethod(Method method) {
        for (java.lang.annotation.Annotation a : method.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    private String declared(String scope) {
        if (!scope.isEmpty()) {
            apiKeys.scopes().requireDeclared(List.of(scope));
        }
        return scope;
    }

    @Override
    public String toString() {
        return "ApiKeyRequestFilter[" + problems + "]";
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
