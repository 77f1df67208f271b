package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.spring.security.ApiKeyRouteRules;
import org.junit.jupiter.api.Test;

/** Routes declared for a host's chain: a bad one is refused naming its place and the rule it breaks. */
class ApiKeyRouteRulesTest {

    @Test
    void aBadRouteIsRefusedNamingItsPlaceAndTheRule() {
        assertThatThrownBy(() -> ApiKeyRouteRules.of("GET /api/v1/events -> events:read",
                "GET api/v1/events events:read"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("route 1: route must read 'METHOD /path -> scope|authenticated|public'");
        assertThatThrownBy(() -> ApiKeyRouteRules.of("G3T /api/v1/events -> events:read"))
                .hasMessageStartingWith("route 0: method must be an upper-case HTTP method");
        assertThatThrownBy(() -> ApiKeyRouteRules.of("GET /api/../admin -> public"))
                .hasMessageStartingWith("route 0: path must start with '/'");
    }

    @Test
    void aBadCostIsRefusedWhenTheRulesAreMade() {
        assertThatThrownBy(() -> ApiKeyRouteRules.of("GET /api/v1/events -> events:read cost=0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route 0: cost must be 1 to 1000000, was 0 in 'GET /api/v1/events -> events:read cost=0'");
        assertThatThrownBy(() -> dev.apikey.spring.security.ApiKeyExchangeRules.of("GET /health -> public",
                "GET /api/v1/events -> events:read cost=1000001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("route 1: cost must be 1 to 1000000, was 1000001");
    }

    @Test
    void theRoutesAreKeptInOrderWithTheirCosts() {
        ApiKeyRouteRules rules = ApiKeyRouteRules.of("GET /api/v1/search -> events:read cost=10",
                "GET /health -> public");
        assertThat(rules.routes()).extracting(Object::toString)
                .containsExactly("GET /api/v1/search -> events:read cost=10", "GET /health -> public");
    }

    @Test
    void theRoutesAreKeptInOrder() {
        ApiKeyRouteRules rules = ApiKeyRouteRules.of("GET /api/v1/events -> events:read", "GET /health -> public");
        assertThat(rules.routes()).extracting(Object::toString)
                .containsExactly("GET /api/v1/events -> events:read", "GET /health -> public");
    }
}
