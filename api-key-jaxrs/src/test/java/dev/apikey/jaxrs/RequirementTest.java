package dev.apikey.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
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
