package dev.apikey.parity;

import dev.apikey.jaxrs.RequiresApiKey;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;

/** {@link Fixture#ROUTES} as Jakarta REST resources, each answering {@code ok <key id>}. */
final class JaxrsResources {

    static final Set<Class<?>> ALL = Set.of(Events.class, TenantEvents.class);

    private JaxrsResources() {
    }

    /** GET needs {@code events:read}; POST test needs {@code events:write}. */
    @Path("/api/v1/events")
    @RequiresApiKey("events:read")
    public static final class Events {

        /** @return who called */
        @GET
        @Produces("text/plain")
        public String list(@Context SecurityContext security) {
            return HttpAdapter.granted(security.getUserPrincipal());
        }

        /** @return who called */
        @POST
        @Path("test")
        @RequiresApiKey("events:write")
        @Produces("text/plain")
        public String test(@Context SecurityContext security) {
            return HttpAdapter.granted(security.getUserPrincipal());
        }
    }

    /** A tenant's events: the filter checks the scope; the tenant is the resource's to check (docs/JAXRS.md). */
    @Path("/api/v1/tenants/{tenantId}/events")
    @RequiresApiKey("events:read")
    public static final class TenantEvents {

        /** @return who called */
        @GET
        @Produces("text/plain")
        public String list(@PathParam("tenantId") String tenantId, @Context SecurityContext security) {
            return HttpAdapter.granted(security.getUserPrincipal());
        }
    }
}
