package dev.apikey.jaxrs;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class or method for {@link ApiKeyRequestFilter}: a request to it needs a valid API key, with
 * {@link #value()} among its scopes when one is named. On a method it wins over the one on its class, so a class
 * can require {@code events:read} and one of its methods {@code events:write}. It is looked for on the resource
 * method, then on the methods that method overrides or implements, then on the resource class, then on its
 * superclasses and interfaces; the first found applies. A resource without it anywhere there is not filtered at all.
 * Where that cannot be told (an annotated method of the resource method's name and arity in a type it inherits from
 * that the filter cannot match to it, such as one taking an outer class's type variable, or a package-private one of
 * another package; or overridden methods of two unrelated types that disagree), the deployment fails naming them:
 * put the annotation on the resource method itself.
 * A sub-resource a locator returns is looked at on its own: annotate the sub-resource, not (only) the locator.
 * The scope and the {@link #cost()} come from the one annotation found: {@code @RequiresApiKey(value =
 * "events:read", cost = 10)}.
 *
 * <p>It stays a {@link NameBinding}, so a host's own filters bound to it keep applying as before.
 */
@NameBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresApiKey {

    /**
     * {@return the scope the key must hold, e.g. {@code events:read}; empty (the default) for any valid key}
     * It must be declared in the {@link dev.apikey.model.ScopeCatalog}.
     */
    String value() default "";

    /**
     * {@return what a call costs, in units of every allowance of the key and its tenant (a rate limit, a quota): 1 to
     * {@value dev.apikey.model.VerifyRequest#MAX_COST}, 1 by default} A call whose cost does not fit an allowance is
     * refused ({@code rate_limited}, {@code quota_exceeded}) and spends nothing. Checked as the application deploys:
     * a cost out of range fails the deployment, not a request.
     */
    long cost() default 1;
}
