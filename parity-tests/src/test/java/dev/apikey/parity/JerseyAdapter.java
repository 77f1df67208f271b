package dev.apikey.parity;

import com.sun.net.httpserver.HttpServer;
import dev.apikey.jaxrs.ApiKeyRequestFilter;
import java.net.URI;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** {@link ApiKeyRequestFilter} on Jersey 4 over the JDK's HTTP server, which offers no peer address. */
final class JerseyAdapter extends HttpAdapter {

    private HttpServer server;

    @Override
    public String name() {
        return "jaxrs-jersey";
    }

    @Override
    public void start(Fixture fixture) {
        ResourceConfig config = new ResourceConfig(JaxrsResources.ALL)
                .register(ApiKeyRequestFilter.builder(fixture.apiKeys).build())
                .property(ServerProperties.WADL_FEATURE_DISABLE, true);
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config);
    }

    @Override
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
