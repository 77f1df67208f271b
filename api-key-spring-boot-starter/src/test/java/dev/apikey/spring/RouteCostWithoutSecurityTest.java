package dev.apikey.spring;

import dev.apikey.ApiKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** Without Spring Security: ApiKeyFilter, registered for apikey.routes, verifies each key at its route's cost. */
@SpringBootTest(classes = RouteCostWithoutSecurityTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            RouteCosts.COST_4, RouteCosts.COST_1, RouteCosts.PUBLIC,
            "spring.autoconfigure.exclude="
                    + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                    + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                    + "dev.apikey.spring.security.ApiKeySecurityAutoConfiguration,"
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
class RouteCostWithoutSecurityTest {

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
