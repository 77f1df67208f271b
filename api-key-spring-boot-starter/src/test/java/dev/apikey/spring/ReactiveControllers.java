package dev.apikey.spring;

import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.spring.security.ApiKeyWebFilter;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import dev.apikey.spring.security.ApiKeyAuthentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The slice of the seed API of {@link SeedControllers}, as WebFlux handlers (they run on Netty's event loop). */
@RestController
class ReactiveControllers {

    @GetMapping("/api/v1/events")
    Mono<Map<String, Object>> events() {
        return Mono.just(Map.of("events", List.of()));
    }

    @PostMapping("/api/v1/events/test")
    Mono<Map<String, Object>> testEvent() {
        return Mono.just(Map.of("sent", true));
    }

    @GetMapping("/api/v1/tenants/{tenantId}/events")
    Mono<Map<String, Object>> tenantEvents(@PathVariable("tenantId") String tenantId) {
        return Mono.just(Map.of("tenant", tenantId, "events", List.of()));
    }

    @GetMapping("/health")
    Mono<Map<String, Object>> health() {
        return Mono.just(Map.of("status", "ok"));
    }

    /**
     * The caller, from Spring Security's authentication and from the exchange attribute: the verified key. (WebFlux
     * resolves a parameter whose type is a {@code java.security.Principal}, such as {@code ApiKeyPrincipal}, to
     * the exchange's principal, the authentication, before {@code @AuthenticationPrincipal} is looked at.)
     */
    @GetMapping("/api/v1/me")
    Mono<Map<String, Object>> me(ApiKeyAuthentication authentication,
            @RequestAttribute(ApiKeyWebFilter.PRINCIPAL_ATTRIBUTE) ApiKeyPrincipal key) {
        return ReactiveSecurityContextHolder.getContext().map(c -> Map.of("hint", key.hint(), "scopes", key.scopes(),
                "same", authentication.getPrincipal() == key && c.getAuthentication() == authentication,
                "nonBlocking", Schedulers.isInNonBlockingThread()));
    }

    /** A method rule: only keys holding reports:read. */
    @GetMapping("/api/v1/reports")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    Mono<Map<String, Object>> reports() {
        return Mono.just(Map.of("reports", List.of()));
    }

    /** A handler that blocks on the event loop, as no handler may: BlockHound refuses the call. */
    @GetMapping("/blocking")
    Mono<String> blocking() {
        String thread = Schedulers.isInNonBlockingThread() ? "a non-blocking thread" : "a blocking thread";
        try {
            Thread.sleep(1);
            return Mono.just("slept on " + thread);
        } catch (BlockingOperationError e) {
            return Mono.just("refused on " + thread + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Mono.just("interrupted");
        }
    }
}
