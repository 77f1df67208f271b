package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import java.net.http.HttpResponse;

/**
 * What every path of the starter does with a route's cost ({@code cost=N} in {@code apikey.routes}), over real HTTP:
 * a key with a quota of 10 a day calls a route of cost 4 twice (a GET and a HEAD), is refused the third time
 * ({@code quota_exceeded}, 429, spending nothing), and still has its 2 left for a route of cost 1.
 */
final class RouteCosts {

    /** The routes each test's context is started with. */
    static final String COST_4 = "apikey.routes[0]=GET /api/v1/events -> events:read cost=4";
    static final String COST_1 = "apikey.routes[1]=GET /api/v1/tenants/{tenantId}/events -> events:read";
    static final String PUBLIC = "apikey.routes[2]=GET /health -> public";

    private RouteCosts() {
    }

    static void assertSpent(int port, ApiKeys apiKeys) {
        String key = apiKeys.create(KeySpec.builder("metered").tenantId("92").scopes("events:read")
                .quota(Quota.perDay(10)).build()).plaintext();

        assertThat(SecurityStarterTest.send(port, "GET", "/api/v1/events", "X-Api-Key", key).statusCode())
                .isEqualTo(200);
        assertThat(SecurityStarterTest.send(port, "HEAD", "/api/v1/events", "X-Api-Key", key).statusCode())
                .as("a GET rule's cost is a HEAD's too").isEqualTo(200);
        assertQuotaExceeded(SecurityStarterTest.send(port, "GET", "/api/v1/events", "X-Api-Key", key));
        assertThat(Http.get(port, "/api/v1/tenants/92/events", key).statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/api/v1/tenants/92/events", key).statusCode()).isEqualTo(200);
        assertQuotaExceeded(Http.get(port, "/api/v1/tenants/92/events", key));
        assertThat(Http.get(port, "/health", null).statusCode()).isEqualTo(200);
    }

    private static void assertQuotaExceeded(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.body()).contains("\"code\":\"quota_exceeded\"");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }
}
