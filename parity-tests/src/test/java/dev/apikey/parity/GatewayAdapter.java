package dev.apikey.parity;

import dev.apikey.forwarded.ForwardedCaller;
import dev.apikey.forwarded.ForwardedCallerFilter;
import dev.apikey.forwarded.ForwardedHeaders;
import dev.apikey.forwarded.SignedCaller;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Cloud Gateway with {@code api-key-gateway} (a route per {@link Fixture#ROUTES} entry, its scope in the
 * route's {@code ApiKey=<scope>} filter) in front of an upstream Jetty whose {@link ForwardedCallerFilter} checks
 * the signed caller and whose servlet answers {@code ok <key id>}: a refusal is the gateway's, a grant the caller
 * the upstream was told.
 */
final class GatewayAdapter extends HttpAdapter {

    private static final String SECRET = "parity-gateway-and-upstream-share-this-secret-0123456789";

    private Server upstream;
    private ConfigurableApplicationContext context;
    private int port;

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start(Fixture fixture) throws Exception {
        int upstreamPort = startUpstream();
        List<String> properties = new ArrayList<>(List.of("server.address=127.0.0.1", "server.port=0",
                "spring.main.banner-mode=off", "logging.config=classpath:logback-parity.xml",
                "apikey.gateway.secret=" + SECRET,
                // grpc-java is on this suite's class path (for the gRPC adapter), but not grpc's Netty this filter
                // needs; no route here converts JSON to gRPC.
                "spring.cloud.gateway.server.webflux.filter.json-to-grpc.enabled=false"));
        String routes = "spring.cloud.gateway.server.webflux.routes";
        for (int i = 0; i < Fixture.ROUTES.size(); i++) {
            // "GET /api/v1/events -> events:read": the method and path as predicates, the scope as the route's filter.
            String[] rule = Fixture.ROUTES.get(i).split(" ");
            properties.add(routes + "[" + i + "].id=r" + i);
            properties.add(routes + "[" + i + "].uri=http://127.0.0.1:" + upstreamPort);
            properties.add(routes + "[" + i + "].predicates[0]=Path=" + rule[1]);
            properties.add(routes + "[" + i + "].predicates[1]=Method=" + rule[0]);
            properties.add(routes + "[" + i + "].filters[0]=ApiKey=" + rule[3]);
        }
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
                .properties(properties.toArray(String[]::new))
                .initializers(c -> c.getBeanFactory().registerSingleton("apiKeys", fixture.apiKeys))
                .run();
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The upstream on loopback: the signed caller checked on every path, answered as {@code ok <key id>}. */
    private int startUpstream() throws Exception {
        upstream = new Server();
        ServerConnector connector = new ServerConnector(upstream);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        upstream.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler("/");
        handler.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                ForwardedCaller caller = (ForwardedCaller) req.getAttribute(ForwardedCallerFilter.CALLER_ATTRIBUTE);
                resp.setContentType("text/plain");
                resp.getWriter().write("ok " + (caller == null ? "anonymous" : caller.keyId()));
            }
        }), "/*");
        handler.addFilter(new FilterHolder(ForwardedCallerFilter.builder(
                SignedCaller.withSecret(SECRET, ForwardedHeaders.DEFAULTS)).build()), "/*",
                EnumSet.allOf(DispatcherType.class));
        upstream.setHandler(handler);
        upstream.start();
        return connector.getLocalPort();
    }

    @Override
    int port() {
        return port;
    }

    @Override
    public void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    /**
     * The gateway: auto-configuration of Spring Cloud Gateway and of this project's gateway module; not the starter's
     * nor Spring Security's, which this suite's class path holds for the Spring adapters (a gateway host with them
     * would put their chain in front of the gateway's filters).
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
        "dev.apikey.spring.ApiKeyReactiveGuardAutoConfiguration", "dev.apikey.spring.ApiKeyAutoConfiguration",
        "dev.apikey.spring.ApiKeyFilterAutoConfiguration", "dev.apikey.spring.security.ApiKeySecurityAutoConfiguration",
        "dev.apikey.spring.security.ApiKeyReactiveSecurityAutoConfiguration",
        "dev.apikey.spring.metrics.ApiKeyMetricsAutoConfiguration",
        "dev.apikey.spring.health.ApiKeyHealthAutoConfiguration", "dev.apikey.spring.ApiKeyAdminAutoConfiguration",
        "dev.apikey.spring.openapi.ApiKeyOpenApiAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration"})
    static class App {
    }
}
