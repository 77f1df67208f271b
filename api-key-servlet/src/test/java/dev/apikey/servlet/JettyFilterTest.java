package dev.apikey.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The filter suite in embedded Jetty 12 (ee10), on loopback. */
class JettyFilterTest extends FilterContract {

    private Server server;

    @Override
    int start(Filter filter) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder echo = new ServletHolder(new SeedApi.Echo());
        echo.setAsyncSupported(true);
        context.addServlet(echo, "/*");
        context.addServlet(new ServletHolder(new WhoAmIServlet()), "/api/v1/whoami");
        context.addServlet(new ServletHolder(new SeedApi.Forward()), "/public/forward");
        ServletHolder async = new ServletHolder(new SeedApi.Async());
        async.setAsyncSupported(true);
        context.addServlet(async, "/public/async");
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
        context.addServlet(new ServletHolder(new SeedApi.Fail()), "/public/fail");
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.addErrorPage(500, "/api/v1/events");
        context.setErrorHandler(errors);
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }
}
