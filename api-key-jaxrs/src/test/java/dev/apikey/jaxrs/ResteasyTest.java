package dev.apikey.jaxrs;

import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;
// README:jaxrs-resteasy-peer:imports:start
import dev.apikey.jaxrs.ApiKeyRequestFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.jboss.resteasy.core.ResteasyContext;
// README:jaxrs-resteasy-peer:imports:end

/**
 * RESTEasy's servlet dispatcher on embedded Jetty, bound to 127.0.0.1 on an ephemeral port; the peer address is
 * the servlet request's {@code getRemoteAddr()}, the connection's.
 */
class ResteasyTest extends JaxrsContract {

    private Server server;

    @Override
    int start(Set<Class<?>> resources) throws Exception {
        // README:jaxrs-resteasy-peer:start
        ApiKeyRequestFilter filter = ApiKeyRequestFilter.builder(apiKeys)
                .peerAddress(request -> ResteasyContext.getContextData(HttpServletRequest.class).getRemoteAddr())
                .build();
        // README:jaxrs-resteasy-peer:end
        ResteasyDeployment deployment = new ResteasyDeploymentImpl();
        deployment.setApplication(new Application() {
            @Override
            public Set<Class<?>> getClasses() {
                return resources;
            }

            @Override
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
        return connector.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }

    @Override
    boolean passesPeerAddress() {
        return true;
    }
}
