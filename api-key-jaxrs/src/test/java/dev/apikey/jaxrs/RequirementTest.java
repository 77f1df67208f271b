package dev.apikey.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Which {@code @RequiresApiKey} applies to a resource method, for shapes an implementation will not deploy without
 * warnings (a resource method whose parameter is a type variable nothing binds): read from the classes, no server.
 */
class RequirementTest {

    /** A resource method with a scope of its own. */
    abstract static class SiblingBase {
        @GET
        @Path("admin")
        @RequiresApiKey("webhooks:write")
        public String get(@QueryParam("q") String q) {
            return q;
        }
    }

    /** Adds a generic resource method of the same name and arity that needs less. */
    @Path("/sibling")
    static final class Sibling<T> extends SiblingBase {
        @POST
        @Path("read")
        @RequiresApiKey("events:read")
        public String get(T body) {
            return String.valueOf(body);
        }
    }

    /** Not annotated, with a same-named generic resource method that is. */
    @Path("/unannotated")
    @RequiresApiKey("webhooks:write")
    static final class Unannotated<T> {
        @GET
        public String get(@QueryParam("q") String q) {
            return q;
        }

        @POST
        @RequiresApiKey("events:read")
        public String get(T body) {
            return String.valueOf(body);
        }
    }

    /**
     * A generic class whose inner class's method takes the outer variable.
     *
     * @param <T> the body's type
     */
    static class Outer<T> {
        abstract class Handler {
            @POST
            @RequiresApiKey("webhooks:write")
            public abstract String create(T body);
        }
    }

    /** Binds the outer variable, and implements the inner class: a binding the filter does not follow. */
    static class InnerBound extends Outer<String> {
        final class Implemented extends Handler {
            @Override
            @POST
            public String create(String body) {
                return body;
            }
        }
    }

    /**
     * Reading needs one scope.
     *
     * @param <X> the body's type
     */
    interface Reader<X> {
        @RequiresApiKey("events:read")
        String put(X body);
    }

    /**
     * Writing needs another.
     *
     * @param <Y> the body's type
     */
    interface Writer<Y> {
        @RequiresApiKey("webhooks:write")
        String put(Y body);
    }

    /** Implements both with one method: which scope applies cannot be told. */
    @Path("/both")
    static final class Both implements Reader<String>, Writer<String> {
        @POST
        @Override
        public String put(String body) {
            return body;
        }
    }

    /**
     * A generic resource method with a scope.
     *
     * @param <T> the body's type
     */
    abstract static class GenericBase<T> {
        @POST
        @RequiresApiKey("webhooks:write")
        public abstract String create(T body);
    }

    /** Its implementation, which javac gives a bridge {@code create(Object)}. */
    @Path("/bridged")
    @RequiresApiKey("events:read")
    static final class Bridged extends GenericBase<String> {
        @POST
        @Override
        public String create(String body) {
            return body;
        }
    }

    @Test
    void anAnnotatedMethodNotMatchedToTheMethodItMayBeOverriddenByFailsTheDeploymentNamingBoth() {
        Method create = java.util.Arrays.stream(InnerBound.Implemented.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("create") && !m.isBridge()).findFirst().orElseThrow();

        assertThatThrownBy(() -> ApiKeyRequestFilter.requirement(create, InnerBound.Implemented.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Outer$Handler.create(")
                .hasMessageContaining("put @RequiresApiKey on create itself");
    }

    @Test
    void overriddenMethodsOfUnrelatedTypesThatDisagreeFailTheDeployment() throws Exception {
        assertThatThrownBy(() -> ApiKeyRequestFilter.requirement(Both.class.getMethod("put", String.class),
                Both.class)).isInstanceOf(IllegalStateException.class).hasMessageContaining("differs on");
    }

    @Test
    void aBridgeIsReadAsTheMethodItStandsFor() throws Exception {
        Method bridge = Bridged.class.getDeclaredMethod("create", Object.class);
        assertThat(bridge.isBridge()).isTrue();

        assertThat(ApiKeyRequestFilter.requirement(bridge, Bridged.class).value()).isEqualTo("webhooks:write");
        assertThat(ApiKeyRequestFilter.requirement(Bridged.class.getMethod("create", String.class), Bridged.class)
                .value()).isEqualTo("webhooks:write");
    }

    @Test
    void aMethodsOwnScopeWinsOverASameNamedGenericResourceMethods() throws Exception {
        RequiresApiKey applies = ApiKeyRequestFilter.requirement(SiblingBase.class.getMethod("get", String.class),
                Sibling.class);

        assertThat(applies.value()).isEqualTo("webhooks:write");
    }

    @Test
    void aResourceMethodWithoutAnAnnotationTakesItsClassesNotASameNamedMethods() throws Exception {
        RequiresApiKey applies = ApiKeyRequestFilter.requirement(Unannotated.class.getMethod("get", String.class),
                Unannotated.class);

        assertThat(applies.value()).isEqualTo("webhooks:write");
    }
}
