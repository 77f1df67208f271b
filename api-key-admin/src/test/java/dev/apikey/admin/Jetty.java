package dev.apikey.admin;

import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10) on loopback for this module's tests. */
final class Jetty {

    private Jetty() {
    }

    /** Starts Jetty on a free loopback port with a root context that {@code setUp} fills. */
    static Server start(Consumer<ServletContextHandler> setUp) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        setUp.accept(context);
        server.setHandler(context);
        server.start();
        return server;
    }

    /** {@return the port a started server listens on} */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
