package dev.apikey.spring;

import dev.apikey.ApiKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * In a reactive application (WebFlux on Netty) with the starter's chain from apikey.routes: the ApiKeyWebFilter
 * verifies each key at the cost of the ApiKeyExchangeRules rule matching the request.
 */
@SpringBootTest(classes = RouteCostWebFluxTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            RouteCosts.COST_4, RouteCosts.COST_1, RouteCosts.PUBLIC,
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class RouteCostWebFluxTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    @Test
    void aRouteOfCostFourSpendsFourOfTheQuota() {
        RouteCosts.assertSpent(port, apiKeys);
    }
}
