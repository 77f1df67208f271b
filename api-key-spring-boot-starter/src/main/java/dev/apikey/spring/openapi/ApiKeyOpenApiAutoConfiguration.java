package dev.apikey.spring.openapi;

import dev.apikey.servlet.Route;
import dev.apikey.spring.ApiKeyAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With springdoc-openapi in the host: the API-key security schemes, and each operation's scopes and refusals, in
 * its OpenAPI document (Spring MVC and WebFlux alike). The scopes come from {@code apikey.routes} or the host's own
 * {@link ApiKeyAutoConfiguration.ApiKeyRoutes} bean (a chain's rules written inline in code cannot be read: declare
 * them as that bean), from {@code @PreAuthorize("hasAuthority('SCOPE_…')")} and from {@link DocumentedScope}.
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class)
@ConditionalOnClass(GlobalOpenApiCustomizer.class)
public class ApiKeyOpenApiAutoConfiguration {

    /** Creates the configuration. */
    public ApiKeyOpenApiAutoConfiguration() {
    }

    /**
     * {@return the customizer that notes each handler's scopes}
     */
    @Bean
    ApiKeyOperationCustomizer apiKeyOperationCustomizer() {
        return new ApiKeyOperationCustomizer();
    }

    /**
     * {@return the customizer that documents schemes, scopes and refusals}
     *
     * @param routes the routes of {@code apikey.routes}, or the host's own {@code ApiKeyRoutes} bean
     */
    @Bean
    ApiKeyOpenApiCustomizer apiKeyOpenApiCustomizer(ObjectProvider<ApiKeyAutoConfiguration.ApiKeyRoutes> routes) {
        return new ApiKeyOpenApiCustomizer(() -> {
            List<Route> all = new ArrayList<>();
            routes.orderedStream().forEach(r -> all.addAll(r.routes()));
            return all;
        });
    }
}
