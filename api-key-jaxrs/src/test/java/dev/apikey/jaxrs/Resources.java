package dev.apikey.jaxrs;

import dev.apikey.model.ApiKeyPrincipal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;
import java.util.TreeSet;

/** The resources every test application serves: events behind the annotation, health without it. */
final class Resources {

    static final Set<Class<?>> ALL = Set.of(Events.class, Health.class, PrincipalHeader.class, Locator.class,
            InheritedHooks.class, ImplementedHooks.class, Search.class, GenericHooks.class, GenericClassHooks.class,
            BoundHooks.class, OverloadHooks.class, LateHooks.class);

    private Resources() {
    }

    /** Reading events needs {@code events:read}; posting one needs {@code webhooks:write} (method over class). */
    @Path("/api/v1/events")
    @RequiresApiKey("events:read")
    public static final class Events {

        /** The caller as the resource sees it, from the security context. */
        @GET
        @Produces("application/json")
        public String list(@Context SecurityContext security) {
            ApiKeyPrincipal principal = (ApiKeyPrincipal) security.getUserPrincipal();
            return "{\"key\":\"" + principal.keyId() + "\",\"scopes\":\"" + String.join(" ", new TreeSet<>(
                    principal.scopes())) + "\",\"events:read\":" + security.isUserInRole("events:read")
                    + ",\"webhooks:write\":" + security.isUserInRole("webhooks:write") + ",\"scheme\":\""
                    + security.getAuthenticationScheme() + "\"}";
        }

        /** Needs the method's scope, not the class's. */
        @POST
        @RequiresApiKey("webhooks:write")
        @Produces("application/json")
        public String create(@Context SecurityContext security) {
            return "{\"created_by\":\"" + security.getUserPrincipal().getName() + "\"}";
        }
    }

    /** Not annotated itself; the sub-resource its locator returns is, and needs {@code webhooks:write}. */
    @Path("/api/v1/located")
    public static final class Locator {

        /** Known to the implementation only when a request reaches it, not as the application deploys. */
        @Path("hooks")
        public Hooks hooks() {
            return new Hooks();
        }
    }

    /** A sub-resource: no {@code @Path} of its own. */
    @RequiresApiKey("webhooks:write")
    public static final class Hooks {

        /** Names the caller. */
        @GET
        @Produces("application/json")
        public String get(@Context SecurityContext security) {
            return hooksFor(security);
        }
    }

    /** The method's annotations, {@code @RequiresApiKey} among them, inherited by an override without its own. */
    public abstract static class HooksBase {

        /** Names the caller. */
        @GET
        @Produces("application/json")
        @RequiresApiKey("webhooks:write")
        public abstract String get(@Context SecurityContext security);
    }

    /** Overrides the annotated method with no annotation of its own; the class is not annotated either. */
    @Path("/api/v1/inherited")
    public static final class InheritedHooks extends HooksBase {

        @Override
        public String get(SecurityContext security) {
            return hooksFor(security);
        }
    }

    /** An interface annotated as a whole, its method carrying the Jakarta REST annotations. */
    @RequiresApiKey("webhooks:write")
    public interface HooksApi {

        /**
         * Names the caller.
         *
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @GET
        @Produces("application/json")
        String get(@Context SecurityContext security);
    }

    /** Implements the annotated interface; not annotated itself. */
    @Path("/api/v1/implemented")
    public static final class ImplementedHooks implements HooksApi {

        @Override
        public String get(SecurityContext security) {
            return hooksFor(security);
        }
    }

    /**
     * A generic interface whose annotated method takes a type variable: its erasure is {@code create(Object)}, which
     * an implementation for {@code String} does not declare.
     *
     * @param <T> the body's type
     */
    public interface GenericHooksApi<T> {

        /**
         * Names the caller.
         *
         * @param body     the request's body
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @POST
        @Produces("application/json")
        @RequiresApiKey("webhooks:write")
        String create(T body, @Context SecurityContext security);
    }

    /** Implements the generic interface for {@code String}; not annotated itself. */
    @Path("/api/v1/generic")
    public static final class GenericHooks implements GenericHooksApi<String> {

        @Override
        public String create(String body, SecurityContext security) {
            return hooksFor(security);
        }
    }

    /**
     * A generic superclass whose annotated method takes a type variable.
     *
     * @param <T> the body's type
     */
    public abstract static class GenericHooksBase<T> {

        /**
         * Names the caller.
         *
         * @param body     the request's body
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @POST
        @Produces("application/json")
        @RequiresApiKey("webhooks:write")
        public abstract String create(T body, @Context SecurityContext security);
    }

    /** Extends the generic superclass for {@code String}; the class's own scope must not replace the method's. */
    @Path("/api/v1/generic-class")
    @RequiresApiKey("events:read")
    public static final class GenericClassHooks extends GenericHooksBase<String> {

        @Override
        public String create(String body, SecurityContext security) {
            return hooksFor(security);
        }
    }

    /**
     * A generic interface whose type variable has a bound.
     *
     * @param <T> the body's type
     */
    public interface BoundHooksApi<T extends CharSequence> {

        /**
         * Names the caller.
         *
         * @param body     the request's body
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @POST
        @Produces("application/json")
        @RequiresApiKey("webhooks:write")
        String create(T body, @Context SecurityContext security);
    }

    /**
     * Implements it with a variable of its own whose first bound is another type: the method erases to
     * {@code create(Comparable, SecurityContext)}, the interface's to {@code create(CharSequence, SecurityContext)}.
     *
     * @param <U> the body's type
     */
    public abstract static class BoundHooksBase<U extends Comparable<String> & CharSequence>
            implements BoundHooksApi<U> {

        @Override
        public String create(U body, SecurityContext security) {
            return hooksFor(security);
        }
    }

    /** The resource: binds the variable to {@code String}. */
    @Path("/api/v1/bound")
    public static final class BoundHooks extends BoundHooksBase<String> {
    }

    /**
     * A generic class with a helper of the annotated method's name declared first, whose parameter accepts the type
     * argument: RESTEasy names the helper as the method it invokes.
     *
     * @param <T> the body's type
     */
    public abstract static class OverloadHooksBase<T> {

        /**
         * Not a resource method.
         *
         * @param body     any text
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        public String create(CharSequence body, SecurityContext security) {
            return hooksFor(security);
        }

        /**
         * Names the caller.
         *
         * @param body     the request's body
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @POST
        @Produces("application/json")
        @RequiresApiKey("webhooks:write")
        public String create(T body, @Context SecurityContext security) {
            return hooksFor(security);
        }
    }

    /** The resource: binds the variable to {@code String}. */
    @Path("/api/v1/overload")
    public static final class OverloadHooks extends OverloadHooksBase<String> {
    }

    /**
     * A helper that is no resource method, annotated, of a resource method's name and arity in a subclass that does not
     * override it: which annotation was meant cannot be told, so the deployment fails, naming both.
     */
    public abstract static class SameNameHelperBase {

        /**
         * Not a resource method.
         *
         * @param value anything
         * @return its text
         */
        @RequiresApiKey(value = "events:delete", cost = 0)
        public String list(Object value) {
            return String.valueOf(value);
        }
    }

    /** Not annotated, nor is any method it overrides; its base class has an annotated helper of its name. */
    @Path("/api/v1/same-name")
    public static final class SameNameHelper extends SameNameHelperBase {

        /**
         * Answers without a key.
         *
         * @param q a query parameter
         * @return it, as JSON
         */
        @GET
        @Produces("application/json")
        public String list(@jakarta.ws.rs.QueryParam("q") String q) {
            return "{\"q\":\"" + q + "\"}";
        }
    }

    /**
     * A generic interface whose annotated method a resource class implements with a method it inherits.
     *
     * @param <T> the body's type
     */
    public interface LateHooksApi<T> {

        /**
         * Needs {@code webhooks:write}.
         *
         * @param body     the request's body
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @RequiresApiKey("webhooks:write")
        String create(T body, SecurityContext security);
    }

    /** Declares the resource method, knowing nothing of the interface. */
    public abstract static class LateHooksBase {

        /**
         * Names the caller.
         *
         * @param body     the request's body
         * @param security the request's security context
         * @return the caller's key id, as JSON
         */
        @POST
        @Produces("application/json")
        public String create(String body, @Context SecurityContext security) {
            return hooksFor(security);
        }
    }

    /** Binds the interface's variable itself: only the resource class says that its inherited method implements it. */
    @Path("/api/v1/late")
    public static final class LateHooks extends LateHooksBase implements LateHooksApi<String> {
    }

    /** Its method does not override the other package's package-private annotated one of the same signature. */
    @Path("/api/v1/package-helper")
    public static final class PackageHelper extends dev.apikey.jaxrs.other.PackageHelperBase {

        /**
         * Answers without a key.
         *
         * @param q a query parameter
         * @return it, as JSON
         */
        @GET
        @Produces("application/json")
        public String list(@jakarta.ws.rs.QueryParam("q") String q) {
            return "{\"q\":\"" + q + "\"}";
        }
    }

    private static String hooksFor(SecurityContext security) {
        return "{\"hooks_for\":\"" + security.getUserPrincipal().getName() + "\"}";
    }

    /** A search costs 4 units of each allowance of the key; its count 1, the default (method over class). */
    @Path("/api/v1/search")
    @RequiresApiKey(value = "events:read", cost = 4)
    public static final class Search {

        /** Finds nothing, at cost 4. */
        @GET
        @Produces("text/plain")
        public String search() {
            return "found";
        }

        /** Counts nothing, at cost 1: the method's annotation, cost and all, wins over the class's. */
        @GET
        @Path("count")
        @RequiresApiKey("events:read")
        @Produces("text/plain")
        public String count() {
            return "0";
        }
    }

    /** Costs 0, which no call can: the application must not start. */
    @Path("/api/v1/free")
    public static final class FreeOfCharge {

        /** Never reached. */
        @GET
        @RequiresApiKey(value = "events:read", cost = 0)
        public String get() {
            return "unreachable";
        }
    }

    /** Not annotated: not filtered. */
    @Path("/health")
    public static final class Health {

        /** Answers whoever asks, and says whether anyone authenticated. */
        @GET
        @Produces("text/plain")
        public String health(@Context SecurityContext security) {
            return "ok " + (security.getUserPrincipal() == null ? "anonymous" : "authenticated");
        }
    }

    /** Names a scope the catalog does not declare: the application must not start. */
    @Path("/api/v1/undeclared")
    @RequiresApiKey("events:delete")
    public static final class Undeclared {

        /** Never reached. */
        @GET
        public String get() {
            return "unreachable";
        }
    }

    /** Says, in a response header, which key the request property {@code dev.apikey.principal} holds. */
    @jakarta.ws.rs.ext.Provider
    public static final class PrincipalHeader implements jakarta.ws.rs.container.ContainerResponseFilter {

        /** Copies the property's key id into {@code X-Test-Principal}. */
        @Override
        public void filter(jakarta.ws.rs.container.ContainerRequestContext request,
                jakarta.ws.rs.container.ContainerResponseContext response) {
            Object principal = request.getProperty(ApiKeyRequestFilter.PRINCIPAL_PROPERTY);
            if (principal instanceof ApiKeyPrincipal key) {
                response.getHeaders().putSingle("X-Test-Principal", key.keyId());
            }
        }
    }
}
