package dev.apikey.spring;

import dev.apikey.ApiKeys;
import dev.apikey.ApiKeysBuilder;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.servlet.Route;
import dev.apikey.spi.AccessPolicy;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.Meter;
import dev.apikey.spi.VerifyObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The core beans from {@code apikey.*}: the scope catalog, the route rules, the key store (JDBC on the context's
 * {@link DataSource}, else in memory with a WARN) and {@link ApiKeys}, closed with the context. Each is replaced
 * by a bean of the same type of the host's. The host's {@link KeyEventListener}, {@link AccessPolicy},
 * {@link Meter} and {@link VerifyObserver} beans are used when present (e.g. a {@code JdbcMeter} or {@code RedisMeter}
 * to count allowances across instances).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(ApiKeyProperties.class)
@org.springframework.context.annotation.Import(ApiKeyClientConfiguration.class)
public class ApiKeyAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAutoConfiguration.class);

    /** Creates the configuration; Spring calls it. */
    public ApiKeyAutoConfiguration() {
    }

    /**
     * The scopes from {@code apikey.scopes}, {@code apikey.wildcard-scopes} and {@code apikey.super-scopes}.
     *
     * @param properties the properties
     * @return the catalog
     */
    @Bean
    @ConditionalOnMissingBean
    public ScopeCatalog apiKeyScopeCatalog(ApiKeyProperties properties) {
        return ApiKeySettings.catalog(properties);
    }

    /**
     * The route rules from {@code apikey.routes}, each checked against the catalog.
     *
     * @param properties the properties
     * @param catalog    the scope catalog
     * @return the routes
     */
    @Bean
    @ConditionalOnMissingBean
    public ApiKeyRoutes apiKeyRoutes(ApiKeyProperties properties, ScopeCatalog catalog) {
        return new ApiKeyRoutes(ApiKeySettings.routes(properties, catalog));
    }

    /**
     * The JDBC store on the context's data source (PostgreSQL or H2, detected), creating its table unless
     * {@code apikey.jdbc.create-schema=false}; without a data source, an in-memory store and a WARN.
     *
     * @param properties  the properties
     * @param dataSources the data source, if any
     * @return the store
     */
    @Bean
    @ConditionalOnMissingBean
    public KeyStore apiKeyStore(ApiKeyProperties properties, ObjectProvider<DataSource> dataSources) {
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource == null) {
            LOG.warn("no DataSource bean: API keys are kept in memory and will not survive a restart; add one "
                    + "(spring.datasource.*) or a KeyStore bean");
            return new InMemoryKeyStore();
        }
        JdbcKeyStore store;
        try {
            store = JdbcKeyStore.builder(dataSource).tableName(properties.getJdbc().getTableName())
                    .pushChanges(properties.getJdbc().isPushChanges()).build();
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException("apikey.jdbc.table-name", properties.getJdbc().getTableName(),
                    e.getMessage(), e);
        }
        if (properties.getJdbc().isCreateSchema()) {
            store.createSchemaIfMissing();
        }
        return store;
    }

    /**
     * The verifier, from the properties and the beans above.
     *
     * @param properties the properties
     * @param store      the key store
     * @param catalog    the scope catalog
     * @param listeners  the host's event listener, if any
     * @param policies   the host's access policy, if any
     * @param meters     the host's meter (where allowances are counted), if any
     * @param observers  a verify observer (the metrics' timers), if any
     * @return the verifier, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ApiKeys apiKeys(ApiKeyProperties properties, KeyStore store, ScopeCatalog catalog,
            ObjectProvider<KeyEventListener> listeners, ObjectProvider<AccessPolicy> policies,
            ObjectProvider<Meter> meters, ObjectProvider<VerifyObserver> observers) {
        ApiKeysBuilder b = ApiKeys.builder().store(store).scopes(catalog)
                .hasher(ApiKeySettings.hasher(properties.getHasher()));
        ApiKeySettings.configure(b, properties);
        KeyEventListener listener = ApiKeyListeners.choose(listeners);
        if (listener != null) {
            b.listener(listener);
        }
        policies.ifUnique(b::accessPolicy);
        meters.ifUnique(b::meter);
        observers.ifUnique(b::verifyObserver);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            if (properties.getAnomalies().isEnabled() && String.valueOf(e.getMessage()).startsWith("anomalyDetection")) {
                throw new ApiKeyPropertyException("apikey.anomalies.enabled", "true", e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * With the actuator: its {@code configprops} and {@code env} endpoints never show the pepper or a webhook signing
     * secret, even where the host lets them show values ({@code management.endpoint.*.show-values}).
     */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(
            name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class SecretsHidden {
        @Bean
        org.springframework.boot.actuate.endpoint.SanitizingFunction apiKeySecretsSanitizer() {
            return org.springframework.boot.actuate.endpoint.SanitizingFunction.sanitizeValue()
                    .ifKeyMatches(ApiKeyListeners::isSecretProperty);
        }
    }

    /**
     * {@code apikey.admin.enabled=true} without {@code api-key-admin} on the class path: the start fails naming the
     * missing dependency, instead of starting without the console.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("dev.apikey.admin.AdminApi")
    @ConditionalOnProperty(prefix = "apikey.admin", name = "enabled", havingValue = "true")
    static class AdminModuleMissing {
        AdminModuleMissing() {
            throw new ApiKeyPropertyException("apikey.admin.enabled", "true", "must be false unless the dependency "
                    + "dev.apikey:api-key-admin (the console and its API) is on the class path: add it beside the "
                    + "starter, with the same version, or remove apikey.admin.enabled", null);
        }
    }

    /**
     * The route rules of {@code apikey.routes}, parsed: what the filter or the default security chain enforces, and
     * what the host's OpenAPI document says of each operation's scopes. A host whose own chain declares its routes
     * in code declares them as this bean instead, so that they are said once and documented:
     *
     * <pre>{@code
     * @Bean
     * ApiKeyRoutes apiRoutes() {
     *     return ApiKeyRoutes.of("GET /api/v1/events -> events:read", "GET /api/v1/whoami -> authenticated");
     * }
     *
     * @Bean
     * SecurityFilterChain api(HttpSecurity http, ApiKeyRoutes apiRoutes) throws Exception {
     *     return http.securityMatcher("/api/**").authorizeHttpRequests(ApiKeyRouteRules.of(apiRoutes.routes()))
     *             .with(ApiKeyConfigurer.apiKeys(), Customizer.withDefaults()).build();
     * }
     * }</pre>
     */
    public static final class ApiKeyRoutes {
        private final List<Route> routes;

        /**
         * {@return the routes these rules declare, in order}
         *
         * @param rules rules such as {@code GET /api/v1/events -> events:read}
         * @throws IllegalArgumentException naming the rule and what is wrong with it, if one does not parse
         */
        public static ApiKeyRoutes of(String... rules) {
            List<Route> parsed = new ArrayList<>();
            for (int i = 0; i < rules.length; i++) {
                try {
                    parsed.add(Route.parse(Objects.requireNonNull(rules[i], "route")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("route " + i + ": " + e.getMessage(), e);
                }
            }
            return new ApiKeyRoutes(parsed);
        }

        /**
         * Holds routes.
         *
         * @param routes the routes, in order
         */
        public ApiKeyRoutes(List<Route> routes) {
            this.routes = List.copyOf(routes);
        }

        /** {@return the routes, in order; unmodifiable} */
        public List<Route> routes() {
            return routes;
        }
    }
}
