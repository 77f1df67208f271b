package dev.apikey.bench.http;

import dev.apikey.ApiKeys;
import dev.apikey.bench.http.Bench.Variant;
import dev.apikey.jaxrs.ApiKeyRequestFilter;
import dev.apikey.jaxrs.RequiresApiKey;
import jakarta.servlet.Servlet;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

/**
 * {@code GET /hello} as a Jakarta REST resource on Jetty 12 (ee10), the container of the servlet filter's benchmark:
 * Jersey's {@code ServletContainer} or RESTEasy's servlet dispatcher; 127.0.0.1. No filter, {@link HandFilter}, or
 * {@link ApiKeyRequestFilter} (bound by {@link RequiresApiKey} on the resource).
 *
 * <pre>JaxrsHello jersey|resteasy none|hand|ours [port]</pre>
 */
public final class JaxrsHello {

    private JaxrsHello() {
    }

    /** The resource; the annotation binds our filter only where it is registered. */
    @Path(Bench.PATH)
    @RequiresApiKey(Bench.SCOPE)
    public static final class Hello {

        /** Creates the resource; the implementation calls it per request. */
        public Hello() {
        }

        /** {@return the small JSON answer} */
        @GET
        @Produces("application/json")
        public String hello() {
            return Bench.BODY;
        }
    }

    /** The hand-written check as a global request filter. */
    public static final class HandFilter implements ContainerRequestFilter {
        private final HandCheck check;

        HandFilter(HandCheck check) {
            this.check = check;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            if (!check.allows(request.getHeaderString(HandCheck.HEADER))) {
                request.abortWith(Response.status(401).type("application/json").entity(HandCheck.REFUSAL).build());
            }
        }
    }

    /**
     * Starts the server.
     *
     * @param args {@code jersey} or {@code resteasy}, the variant, then the port (0 for any)
     */
    public static void main(String[] args) throws Exception {
        boolean jersey = Bench.arg(args, 0, "jersey").equals("jersey");
        Variant variant = Variant.of(Bench.arg(args, 1, "none"));
        int port = Integer.parseInt(Bench.arg(args, 2, "0"));
        Set<Object> providers = new HashSet<>();
        String key;
        if (variant == Variant.OURS) {
            ApiKeys apiKeys = Bench.apiKeys();
            key = Bench.mint(apiKeys);
            providers.add(ApiKeyRequestFilter.builder(apiKeys).build());
        } else {
            key = Bench.throwawayKey();
            if (variant == Variant.HAND) {
                providers.add(new HandFilter(new HandCheck(key)));
            }
        }
        int bound = jetty(jersey ? jersey(providers) : resteasy(providers), port);
        Bench.announce(key, bound);
        Thread.currentThread().join();
    }

    /** {@return Jersey's servlet for the resource and the providers} */
    private static Servlet jersey(Set<Object> providers) {
        ResourceConfig config = new ResourceConfig(Hello.class).registerInstances(providers)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true);
        return new ServletContainer(config);
    }

    /** {@return RESTEasy's servlet for the resource and the providers} (its deployment started here) */
    private static Servlet resteasy(Set<Object> providers) {
        ResteasyDeployment deployment = new ResteasyDeploymentImpl();
        deployment.setApplication(new Application() {
            @Override
            public Set<Class<?>> getClasses() {
                return Set.of(Hello.class);
            }

            @Override
            public Set<Object> getSingletons() {
                return providers;
            }
        });
        deployment.start();
        return new DeployedDispatcher(deployment);
    }

    /** RESTEasy's dispatcher, handed its started deployment through the servlet context, as its servlet reads it. */
    private static final class DeployedDispatcher extends HttpServletDispatcher {
        private static final long serialVersionUID = 1L;
        private final transient ResteasyDeployment deployment;

        DeployedDispatcher(ResteasyDeployment deployment) {
            this.deployment = deployment;
        }

        @Override
        public void init(jakarta.servlet.ServletConfig config) throws jakarta.servlet.ServletException {
            config.getServletContext().setAttribute(ResteasyDeployment.class.getName(), deployment);
            super.init(config);
        }
    }

    /** Serves {@code servlet} at {@code /*} on Jetty 12 (127.0.0.1, {@code port}); {@return the bound port} */
    private static int jetty(Servlet servlet, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }
}
