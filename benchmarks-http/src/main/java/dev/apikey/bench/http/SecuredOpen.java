package dev.apikey.bench.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;

/**
 * The Spring Security stacks' unauthenticated baseline ({@code open}): the same application as the starter's
 * ({@code ours}), with Spring Security present and its chain shaped as the starter shapes it (stateless, the context
 * in a request attribute, no saved request, no CSRF token; its default header writers and firewall included), but
 * permitting every request and authenticating none. So {@code ours} over {@code open} is what the adapter adds.
 * {@code hand-open} puts the hand-written check in the same chain, where a team using Spring Security would put it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${bench.variant}' == 'open' or '${bench.variant}' == 'hand_open'")
class SecuredOpen {

    /** {@return the servlet chain: permit all, plus the hand-written check for {@code hand-open}} */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain openChain(HttpSecurity http, Environment env) throws Exception {
        RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(contexts))
                .requestCache(c -> c.requestCache(new NullRequestCache()))
                .csrf(c -> c.disable());
        if (hand(env)) {
            // Not a bean: Boot would also register a Filter bean in the servlet container, outside the chain.
            http.addFilterBefore(handFilter(new HandCheck(env.getRequiredProperty("bench.key"))),
                    AuthorizationFilter.class);
        }
        return http.build();
    }

    /** {@return the reactive chain: permit all, plus the hand-written check for {@code hand-open}} */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    SecurityWebFilterChain openWebChain(ServerHttpSecurity http, Environment env) {
        http.authorizeExchange(e -> e.anyExchange().permitAll())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable);
        if (hand(env)) {
            HandCheck check = new HandCheck(env.getRequiredProperty("bench.key"));
            WebFilter filter = (exchange, chain) -> check.allows(
                    exchange.getRequest().getHeaders().getFirst(HandCheck.HEADER))
                    ? chain.filter(exchange) : SpringHello.refuse(exchange.getResponse());
            http.addFilterAt(filter, SecurityWebFiltersOrder.AUTHENTICATION);
        }
        return http.build();
    }

    private static boolean hand(Environment env) {
        return "hand_open".equals(env.getProperty("bench.variant"));
    }

    /** {@return the hand-written check as a servlet filter} (also {@code hand}'s, outside Spring Security) */
    static OncePerRequestFilter handFilter(HandCheck check) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                if (check.allows(request.getHeader(HandCheck.HEADER))) {
                    chain.doFilter(request, response);
                    return;
                }
                response.setStatus(401);
                response.setContentType("application/json");
                response.getOutputStream().write(HandCheck.REFUSAL.getBytes(StandardCharsets.US_ASCII));
            }
        };
    }
}
