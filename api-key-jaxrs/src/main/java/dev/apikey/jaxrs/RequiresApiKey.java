package dev.apikey.jaxrs;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link ApiKeyRequestFilter} to a resource class or method: a request to it needs a valid API key, with
 * {@link #value()} among its scopes when one is named. On a method it wins over the one on its class, so a class
 * can require {@code events:read} and one of its methods {@code events:write}. A resource without it is not
 * filtered at all.
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
}
