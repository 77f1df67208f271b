package dev.apikey.spring.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says in the host's OpenAPI document which scopes an operation needs, where neither a route rule
 * ({@code apikey.routes}, an {@code ApiKeyRouteRules} bean) nor a {@code @PreAuthorize("hasAuthority('SCOPE_…')")}
 * says it: for example when the rule is built in code inside a security chain, which the starter cannot read.
 * <b>It documents; it does not enforce.</b> The chain or {@code @PreAuthorize} still has to require the scopes.
 *
 * <pre>{@code
 * @DocumentedScope("events:read")
 * @GetMapping("/api/v1/events")
 * List<Event> events() { ... }
 * }</pre>
 *
 * <p>On a class, it applies to each of its handler methods that has none of its own. All the scopes it names are
 * needed together.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DocumentedScope {

    /** {@return the scopes the operation needs, all of them} */
    String[] value();
}
