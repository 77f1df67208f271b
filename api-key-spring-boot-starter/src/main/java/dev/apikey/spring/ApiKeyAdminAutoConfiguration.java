package dev.apikey.spring;

import dev.apikey.ApiKeys;
import dev.apikey.admin.AdminApi;
import dev.apikey.admin.AdminConsole;
import dev.apikey.admin.CallerResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * {@code apikey.admin.enabled=true}: the key console at {@code apikey.admin.path} (default {@code /admin}) and its
 * management API under {@code <path>/api-keys/}, for users in {@code apikey.admin.role} (a Spring Security role
 * such as {@code ROLE_APIKEY_ADMIN}, or a container role): they manage every tenant's keys, granting the scopes
 * {@code apikey.admin.grantable-scopes.<ROLE>} gives their roles (without it, every scope but the super scopes). Protect the path in a
 * chain that signs those users in (form login); API keys do not open it. With Spring Security's CSRF protection on
 * that chain, keep the token in a cookie the console can read ({@code csrf(c -> c.spa())}): the console sends the
 * {@code XSRF-TOKEN} cookie's token as {@code X-XSRF-TOKEN} with every write.
 *
 * <p>Where the console could not work, the start fails saying why and what to do, instead of starting without it:
 * without {@code api-key-admin} on the class path, without Spring Security, and on the chain the starter builds
 * from {@code apikey.routes} (which answers API keys only).
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(AdminApi.class)
@ConditionalOnProperty(prefix = "apikey.admin", name = "enabled", havingValue = "true")
public class ApiKeyAdminAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeyAdminAutoConfiguration() {
    }

    /**
     * The console's page, script and style.
     *
     * @param properties the properties
     * @return the registration
     */
    @Bean
    public ServletRegistrationBean<AdminConsole> apiKeyAdminConsole(ApiKeyProperties properties) {
        String path = path(properties);
        AdminConsole page;
        try {
            // Sign out is Spring Security's POST /logout of the application, reached from the console's page
            // (path + "/") relatively, so that a servlet context path is kept.
            String logout = "../".repeat(path.split("/").length - 1) + "logout";
            page = new AdminConsole("api-keys/", origins(properties), properties.validProblemTypeBase(), logout);
        } catch (IllegalArgumentException e) {
            throw badOrigins(properties, e);
        }
        ServletRegistrationBean<AdminConsole> console = new ServletRegistrationBean<>(page, path + "/*");
        console.setName("apiKeyAdminConsole");
        return console;
    }

    /**
     * The management API the console calls.
     *
     * @param apiKeys    the verifier
     * @param properties the properties
     * @param tenantWebhooks the tenants' webhook endpoints ({@code apikey.webhooks.tenant-endpoints}), if any
     * @return the registration
     */
    @Bean
    public ServletRegistrationBean<AdminApi> apiKeyAdminApi(ApiKeys apiKeys, ApiKeyProperties properties,
            org.springframework.beans.factory.ObjectProvider<dev.apikey.webhooks.TenantWebhooks> tenantWebhooks) {
        String role = properties.getAdmin().getRole();
        if (role == null || !role.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ApiKeyPropertyException("apikey.admin.role", role, "must be 1 to 64 of [A-Za-z0-9_.-], e.g. APIKEY_ADMIN",
                    null);
        }
        AdminApi.Builder builder = AdminApi.builder(apiKeys).callers(callers(apiKeys, role, properties))
                .problemTypeBase(properties.validProblemTypeBase());
        tenantWebhooks.ifUnique(builder::webhooks);
        java.util.List<String> origins = origins(properties);
        if (!origins.isEmpty()) {
            try {
                builder.origins(origins.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                throw badOrigins(properties, e);
            }
        }
        ServletRegistrationBean<AdminApi> api = new ServletRegistrationBean<>(builder.build(),
                path(properties) + "/api-keys/*");
        api.setName("apiKeyAdminApi");
        return api;
    }

    /**
     * Users in the admin role, granting what {@code apikey.admin.grantable-scopes} says per role, or without it every
     * scope but the super scopes; a role name or scope that is not what it should be stops the start, naming it.
     */
    private static CallerResolver callers(ApiKeys apiKeys, String role, ApiKeyProperties properties) {
        java.util.Map<String, java.util.List<String>> grants = properties.getAdmin().getGrantableScopes();
        if (grants == null || grants.isEmpty()) {
            return CallerResolver.containerUserInRole(role);
        }
        grants.forEach((grantingRole, scopes) -> {
            String property = "apikey.admin.grantable-scopes." + grantingRole;
            if (!grantingRole.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new ApiKeyPropertyException(property, grantingRole, "the role must be 1 to 64 of [A-Za-z0-9_.-]",
                        null);
            }
            for (String scope : scopes == null ? java.util.List.<String>of() : scopes) {
                if (apiKeys.scopes().find(scope).isEmpty()) {
                    throw new ApiKeyPropertyException(property, String.join(",", scopes), "scope '" + scope
                            + "' is not declared in apikey.scopes", null);
                }
            }
        });
        return CallerResolver.containerUserInRole(role, grants);
    }

    /** The configured origins; empty for the request's own. */
    private static java.util.List<String> origins(ApiKeyProperties properties) {
        return properties.getAdmin().getOrigins() == null ? java.util.List.of()
                : java.util.List.copyOf(properties.getAdmin().getOrigins());
    }

    /** What an origin's refusal by the console or the API says, as a property error. */
    private static ApiKeyPropertyException badOrigins(ApiKeyProperties properties, IllegalArgumentException e) {
        return new ApiKeyPropertyException("apikey.admin.origins", String.join(",", origins(properties)),
                e.getMessage(), e);
    }

    private static String path(ApiKeyProperties properties) {
        String path = properties.getAdmin().getPath();
        if (path == null || !path.matches("(/[A-Za-z0-9._-]+)+")) {
            throw new ApiKeyPropertyException("apikey.admin.path", path, "must be like /admin (segments of [A-Za-z0-9._-], no "
                    + "trailing /)", null);
        }
        return path;
    }
}
