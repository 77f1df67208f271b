package dev.apikey.parity;

import dev.apikey.jaxrs.ApiKeyRequestFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.resteasy.core.ResteasyContext;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

/** {@link ApiKeyRequestFilter} on RESTEasy 7's servlet dispatcher in Jetty 12, with the connection's address. */
final class ResteasyAdapter extends HttpAdapter {

    private Server server;
    private int port;

    @Override
    public String name() {
        return "jaxrs-resteasy";
    }

    @Override
    public void start(Fixture fixture) throws Exception {
        ApiKeyRequestFilter filter = ApiKeyRequestFilter.builder(fixture.apiKeys)
                .peerAddress(request -> ResteasyContext.getContextData(HttpServletRequest.class).getRemoteAddr())
                .build();
        ResteasyDeployment deployment = new ResteasyDeploymentImpl();
        deployment.setApplication(new Application() {
            @Override
            public Set<Class<?>> getClasses() {
                return JaxrsResources.ALL;
            }

            @Override
            @SuppressWarnings("deprecation") // the one way to hand RESTEasy a filter instance built over our ApiKeys
            public Set<Object> getSingletons() {
                return Set.of(filter);
            }
        });
        deployment.start();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(ResteasyDeployment.class.getName(), deployment);
        context.addServlet(new ServletHolder(new HttpServletDispatcher()), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @Override
    int port() {
        return port;
    }

    @Override
    public void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
