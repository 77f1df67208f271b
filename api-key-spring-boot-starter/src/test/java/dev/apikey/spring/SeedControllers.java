package dev.apikey.spring;

import dev.apikey.model.ApiKeyPrincipal;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A slice of the seed API for the starter's tests. */
@RestController
class SeedControllers {

    @GetMapping("/api/v1/events")
    Map<String, Object> events() {
        return Map.of("events", List.of());
    }

    @PostMapping("/api/v1/events/test")
    Map<String, Object> testEvent() {
        return Map.of("sent", true);
    }

    @GetMapping("/api/v1/tenants/{tenantId}/events")
    Map<String, Object> tenantEvents(@PathVariable("tenantId") String tenantId) {
        return Map.of("tenant", tenantId, "events", List.of());
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        return Map.of("status", "ok");
    }

    /** The caller, from Spring Security's principal: the verified key. */
    @GetMapping("/api/v1/me")
    Map<String, Object> me(@AuthenticationPrincipal ApiKeyPrincipal key) {
        return Map.of("hint", key.hint(), "scopes", key.scopes());
    }

    /** A method rule: only keys holding reports:read. */
    @GetMapping("/api/v1/reports")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    Map<String, Object> reports() {
        return Map.of("reports", List.of());
    }
}
