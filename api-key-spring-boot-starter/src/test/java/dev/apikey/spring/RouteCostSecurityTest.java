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
 * With Spring Security and the starter's chain from apikey.routes: the ApiKeyConfigurer's filter finds the chain's
 * ApiKeyRouteRules and verifies each key at the cost of the rule matching the request.
 */
@SpringBootTest(classes = RouteCostSecurityTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            RouteCosts.COST_4, RouteCosts.COST_1, RouteCosts.PUBLIC})
class RouteCostSecurityTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
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
