package dev.apikey.spring.security;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Scope;
import dev.apikey.model.ScopeCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A granted API key as Spring Security sees it: the principal is the {@link ApiKeyPrincipal}
 * ({@code @AuthenticationPrincipal ApiKeyPrincipal key} works), the authorities are {@code SCOPE_<scope>} for every
 * scope the key holds (those its wildcard or super scopes grant included), as Spring's OAuth2 resource server names
 * them, and the factor authority {@value #FACTOR_AUTHORITY} (when it was issued: this request). It never holds the
 * key itself: the credentials are {@code null}.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    /**
     * The factor authority of a request authenticated by an API key ({@code FACTOR_API_KEY}), as Spring Security 7's
     * mechanisms add theirs ({@code FACTOR_PASSWORD}, {@code FACTOR_BEARER}): a rule can require it, or require
     * another factor beside it (docs/SPRING.md).
     */
    public static final String FACTOR_AUTHORITY = "FACTOR_API_KEY";

    /** @serial the key's principal */
    private final ApiKeyPrincipal principal;

    /**
     * An authenticated key.
     *
     * @param principal   the verified key
     * @param authorities its {@code SCOPE_} authorities
     */
    public ApiKeyAuthentication(ApiKeyPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
        this(withFactor(authorities), principal);
    }

    /** An authenticated key whose authorities hold the factor authority already (a filter's grant). */
    private ApiKeyAuthentication(List<GrantedAuthority> withFactor, ApiKeyPrincipal principal) {
        super(withFactor);
        this.principal = Objects.requireNonNull(principal, "principal");
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> withFactor(Collection<? extends GrantedAuthority> authorities) {
        List<GrantedAuthority> all = new ArrayList<>(authorities.size() + 1);
        boolean factor = false;
        for (GrantedAuthority a : authorities) {
            all.add(a);
            factor |= FACTOR_AUTHORITY.equals(a.getAuthority());
        }
        if (!factor) {
            all.add(FactorGrantedAuthority.fromAuthority(FACTOR_AUTHORITY));
        }
        return all;
    }

    /**
     * The authentication of a granted key, with {@code SCOPE_<name>} for every declared scope it holds, directly or
     * through a wildcard or super scope: the servlet and the reactive path make it alike.
     */
    static ApiKeyAuthentication of(ApiKeys apiKeys, ApiKeyPrincipal key) {
        return new ScopeAuthorities(apiKeys.scopes()).of(key);
    }

    /**
     * A catalog's {@code SCOPE_} authorities, made once for the filter that grants with them: a grant then looks up
     * which the key holds and makes only its factor authority (issued now), where it made a name and an authority per
     * held scope before (the WebFlux and Spring MVC benchmarks' profiles found them on every request).
     */
    static final class ScopeAuthorities {
        private final String[] names;
        private final GrantedAuthority[] authorities;

        ScopeAuthorities(ScopeCatalog catalog) {
            List<Scope> scopes = catalog.scopes();
            names = new String[scopes.size()];
            authorities = new GrantedAuthority[scopes.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = scopes.get(i).name();
                authorities[i] = new SimpleGrantedAuthority("SCOPE_" + names[i]);
            }
        }

        /** {@return the authentication of this granted key} */
        ApiKeyAuthentication of(ApiKeyPrincipal key) {
            List<GrantedAuthority> held = new ArrayList<>(names.length + 1);
            for (int i = 0; i < names.length; i++) {
                if (key.hasScope(names[i])) {
                    held.add(authorities[i]);
                }
            }
            // No catalog scope is named like the factor ("SCOPE_" comes first): it is added, not looked for.
            held.add(FactorGrantedAuthority.fromAuthority(FACTOR_AUTHORITY));
            return new ApiKeyAuthentication(held, key);
        }
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
