package dev.apikey.spring.security;

import dev.apikey.model.ApiKeyPrincipal;
import java.util.Collection;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A granted API key as Spring Security sees it: the principal is the {@link ApiKeyPrincipal}
 * ({@code @AuthenticationPrincipal ApiKeyPrincipal key} works), the authorities are {@code SCOPE_<scope>} for every
 * scope the key holds (those its wildcard or super scopes grant included), as Spring's OAuth2 resource server names
 * them. It never holds the key itself: the credentials are {@code null}.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    /** @serial the key's principal */
    private final ApiKeyPrincipal principal;

    /**
     * An authenticated key.
     *
     * @param principal   the verified key
     * @param authorities its {@code SCOPE_} authorities
     */
    public ApiKeyAuthentication(ApiKeyPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = Objects.requireNonNull(principal, "principal");
        setAuthenticated(true);
    }

    @Override
    public ApiKeyPrincipal getPrincipal() {
        return principal;
    }

    /** {@return {@code null}: the key is not kept} */
    @Override
    public Object getCredentials() {
        return null;
    }

    /** {@return the key's hint, e.g. {@code wlcro_92_3kTz9QbC}, safe to log} */
    @Override
    public String getName() {
        return principal.hint();
    }
}
