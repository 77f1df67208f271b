package dev.apikey.bench.http;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import dev.apikey.spring.ApiKeyAutoConfiguration;
import dev.apikey.spring.security.ApiKeyAuthentication;
import dev.apikey.spring.security.ApiKeyExchangeRules;
import dev.apikey.spring.security.ApiKeyServerProblemHandler;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.server.WebFilter;

/**
 * WebFlux's {@code open-rules}: the starter's chain as {@code ours} has it (its shaping, the problem handler, the
 * authorization of {@code apikey.routes} by {@code ApiKeyExchangeRules}), but its authentication replaced by one that
 * reads nothing and verifies nothing: every exchange carries the same {@link ApiKeyAuthentication}, of a key verified
 * once at start-up, in its Reactor context, as the starter's filter puts a granted key there. So {@code open-rules}
 * over {@code open} is what the rules and an authenticated exchange cost in Spring Security, and {@code ours} over
 * {@code open-rules} what the starter's filter costs (reading the headers, the verify, the observation).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bench.variant", havingValue = "open_rules")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class RulesOpen {

    /** {@return the starter's chain with a fixed authentication in place of its filter} */
    @Bean
    SecurityWebFilterChain rulesOpenChain(ServerHttpSecurity http, ApiKeyAutoConfiguration.ApiKeyRoutes routes,
            ApiKeyServerProblemHandler problems, ApiKeys apiKeys) {
        String key = apiKeys.create(KeySpec.builder("fixed").tenantId("92").scopes(Bench.SCOPE).build()).plaintext();
        ApiKeyPrincipal principal = apiKeys.verify(VerifyRequest.header(key).scope(Bench.SCOPE)).principal()
                .orElseThrow();
        ApiKeyAuthentication authentication = new ApiKeyAuthentication(principal,
                List.of(new SimpleGrantedAuthority("SCOPE_" + Bench.SCOPE)));
        WebFilter fixed = (exchange, chain) -> chain.filter(exchange)
                .contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
        http.authorizeExchange(ApiKeyExchangeRules.of(routes.routes()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterAt(fixed, SecurityWebFiltersOrder.AUTHENTICATION);
        return http.build();
    }
}
