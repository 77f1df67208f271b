package dev.apikey.jaxrs;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** Jersey on the JDK's HTTP server, bound to 127.0.0.1 on an ephemeral port; it offers no peer address. */
class JerseyTest extends JaxrsContract {

    private HttpServer server;

    @Override
    int start(java.util.Set<Class<?>> resources) {
        ResourceConfig config = new ResourceConfig(resources).register(ApiKeyRequestFilter.builder(apiKeys).build())
                .property(ServerProperties.WADL_FEATURE_DISABLE, true);
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config);
        return server.getAddress().getPort();
    }

    @Override
    void stop() {
        server.stop(0);
    }

    @Override
    boolean passesPeerAddress() {
        return false;
    }
}
