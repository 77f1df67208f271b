package dev.apikey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.testkit.RawHttp;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route's cost through {@link ApiKeyFilter} in Jetty 12 over real HTTP: a call of a route of cost 4 spends 4 of the
 * key's quota, a refused one spends nothing, and a bad cost fails the rule, not a request.
 */
class JettyRouteCostTest {

    private ApiKeys apiKeys;
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(FilterContract.SCOPES).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new SeedApi.Echo()), "/*");
        ApiKeyFilter filter = ApiKeyFilter.builder(apiKeys)
                .route("GET /api/v1/search -> events:read cost=4")
                .route(Route.authenticated("POST", "/api/v1/exports").withCost(4))
                .route("GET /api/v1/events -> events:read")
                .route("GET /api/v1/whoami -> authenticated")
                .build();
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        apiKeys.close();
    }

    private String keyWithQuota() {
        return apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").quota(Quota.perDay(10))
                .build()).plaintext();
    }

    private RawHttp.Response call(String method, String path, String key) throws Exception {
        return RawHttp.send(port, method, path, List.of("X-Api-Key: " + key));
    }

    @Test
    void aRuleOfCostFourSpendsFourOfTheQuotaAndACostOneRouteTheRest() throws Exception {
        String key = keyWithQuota();

        assertThat(call("GET", "/api/v1/search", key).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/search", key).status()).isEqualTo(200);
        RawHttp.Response third = call("GET", "/api/v1/search", key);
        FilterContract.assertProblem(third, Failure.QUOTA_EXCEEDED);
        assertThat(third.header("Retry-After")).isNotNull();
        // The refused call spent nothing: 2 of 10 are left for calls of cost 1.
        assertThat(call("GET", "/api/v1/events", key).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/whoami", key).status()).isEqualTo(200);
        FilterContract.assertProblem(call("GET", "/api/v1/events", key), Failure.QUOTA_EXCEEDED);
    }

    @Test
    void aRouteMadeInCodeCostsWhatWithCostSays() throws Exception {
        String key = keyWithQuota();

        assertThat(call("POST", "/api/v1/exports", key).status()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/exports", key).status()).isEqualTo(200);
        FilterContract.assertProblem(call("POST", "/api/v1/exports", key), Failure.QUOTA_EXCEEDED);
        assertThat(call("GET", "/api/v1/events", key).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/events", key).status()).isEqualTo(200);
        FilterContract.assertProblem(call("GET", "/api/v1/events", key), Failure.QUOTA_EXCEEDED);
    }

    @Test
    void aRuleReadsBackWithItsCostAndOneOfCostOneWithout() {
        assertThat(Route.parse("GET /api/v1/search -> events:read cost=4"))
                .hasToString("GET /api/v1/search -> events:read cost=4")
                .satisfies(r -> assertThat(r.cost()).isEqualTo(4));
        assertThat(Route.parse("GET /api/v1/search ->\tauthenticated   cost=1000000").cost()).isEqualTo(1_000_000);
        assertThat(Route.parse("GET /api/v1/events -> events:read cost=1")).hasToString("GET /api/v1/events -> events:read");
        assertThat(Route.parse("GET /api/v1/events -> events:read").cost()).isEqualTo(1);
        assertThat(Route.open("GET", "/health").cost()).isEqualTo(1);
        Route scoped = Route.scoped("GET", "/api/v1/search", "events:read");
        assertThat(scoped.withCost(10).cost()).isEqualTo(10);
        assertThat(scoped.cost()).as("withCost makes a copy").isEqualTo(1);
    }

    @Test
    void aBadCostIsRefusedWhenTheRuleIsMadeNamingTheFieldAndTheRule() {
        ApiKeyFilter.Builder b = ApiKeyFilter.builder(apiKeys);
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read cost=0"))
                .withMessage("cost must be 1 to 1000000, was 0 in 'GET /a -> events:read cost=0'");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read cost=1000001"))
                .withMessage("cost must be 1 to 1000000, was 1000001 in 'GET /a -> events:read cost=1000001'");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read cost=-3"))
                .withMessageStartingWith("cost must be 1 to 1000000, was -3");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read cost=ten"))
                .withMessage("cost must be a whole number 1 to 1000000, was 'ten' in 'GET /a -> events:read cost=ten'");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read cost="))
                .withMessageStartingWith("cost must be a whole number 1 to 1000000, was ''");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read price=4"))
                .withMessageStartingWith("route must read 'METHOD /path -> scope|authenticated|public', "
                        + "optionally followed by 'cost=N'");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /a -> events:read cost=4 cost=5"))
                .withMessageStartingWith("route must read");
        assertThatIllegalArgumentException().isThrownBy(() -> b.route("GET /health -> public cost=4"))
                .withMessage("cost must not be set on a public route, which verifies no key, was 4 in "
                        + "'GET /health -> public cost=4'");
        assertThatIllegalArgumentException().isThrownBy(() -> Route.scoped("GET", "/a", "events:read").withCost(0))
                .withMessage("cost must be 1 to 1000000, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Route.open("GET", "/a").withCost(2))
                .withMessageStartingWith("cost must not be set on a public route");
    }
}
