package dev.apikey.parity;

import dev.apikey.servlet.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** {@link ApiKeyFilter} in embedded Jetty 12 (ee10): the reference the others are compared with. */
final class ServletFilterAdapter extends HttpAdapter {

    private Server server;
    private int port;

    @Override
    public String name() {
        return "servlet-filter";
    }

    @Override
    public void start(Fixture fixture) throws Exception {
        ApiKeyFilter.Builder filter = ApiKeyFilter.builder(fixture.apiKeys);
        Fixture.ROUTES.forEach(filter::route);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write(granted(req.getAttribute(ApiKeyFilter.PRINCIPAL_ATTRIBUTE)));
            }
        }), "/*");
        context.addFilter(new FilterHolder(filter.build()), "/*", EnumSet.allOf(DispatcherType.class));
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
