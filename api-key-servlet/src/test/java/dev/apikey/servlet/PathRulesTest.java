package dev.apikey.servlet;

import dev.apikey.model.RequestPaths;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The filter's path rules at their edges: the canonical-path check and route matching, without a container. */
class PathRulesTest {

    @Test
    void aPathIsCanonicalOnlyWithBothFormsPresentAndAbsolute() {
        assertThat(RequestPaths.isCanonical("/api/v1/events", "/api/v1/events")).isTrue();
        assertThat(RequestPaths.isCanonical(null, "/api")).isFalse();
        assertThat(RequestPaths.isCanonical("/api", null)).isFalse();
        assertThat(RequestPaths.isCanonical("api", "api")).isFalse();
    }

    @Test
    void printableAsciiFromTheFirstToTheLastVisibleCharacter() {
        assertThat(RequestPaths.isCanonical("/a!", "/a!")).isTrue();
        assertThat(RequestPaths.isCanonical("/a~", "/a~")).isTrue();
        assertThat(RequestPaths.isCanonical("/a b", "/a b")).isFalse();
        assertThat(RequestPaths.isCanonical("/a\u007f", "/a\u007f")).isFalse();
        assertThat(RequestPaths.isCanonical("/a\u00e9", "/a\u00e9")).isFalse();
        // The decoded path is checked on its own: an escape that decodes to a blank or beyond ASCII is refused.
        assertThat(RequestPaths.isCanonical("/a%20b", "/a b")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%c3%a9", "/a\u00e9")).isFalse();
    }

    @Test
    void everyPercentStartsATwoHexDigitEscape() {
        assertThat(RequestPaths.isCanonical("/a%41", "/aA")).isTrue();
        assertThat(RequestPaths.isCanonical("/a%7eb", "/a~b")).isTrue();
        assertThat(RequestPaths.isCanonical("/a%7E%7e", "/a~~")).isTrue();
        assertThat(RequestPaths.isCanonical("/a%39", "/a9")).isTrue();
        assertThat(RequestPaths.isCanonical("/a%30", "/a0")).isTrue();
        // Whatever a container makes of a broken escape (kept, dropped or replaced), the raw form is refused.
        assertThat(RequestPaths.isCanonical("/a%4", "/a%4")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%4", "/a4")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%", "/a")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%4g", "/a4g")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%g4", "/ag4")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%41%4", "/aA4")).isFalse();
        assertThat(RequestPaths.isCanonical("/a%41%", "/aA")).isFalse();
    }

    @Test
    void aTenantSegmentMayBeTheFirstOne() {
        Route route = Route.parse("GET /{tenantId}/events -> events:read");
        String[] tenant = new String[1];
        assertThat(route.matches("GET", new String[] {"92", "events"}, tenant)).isTrue();
        assertThat(tenant[0]).isEqualTo("92");
        Route noTenant = Route.parse("GET /{id}/events -> events:read");
        assertThat(noTenant.matches("HEAD", new String[] {"92", "events"}, tenant)).isTrue();
        assertThat(tenant[0]).isNull();
    }

    @Test
    void aRuleReadsBackAsWritten() {
        assertThat(Route.parse("get /api/v1/events -> events:read")).hasToString("GET /api/v1/events -> events:read");
        assertThat(Route.parse("GET /health -> public")).hasToString("GET /health -> public");
        assertThat(Route.parse("* /api/v1/whoami -> authenticated")).hasToString("* /api/v1/whoami -> authenticated");
    }
}
