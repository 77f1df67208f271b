package dev.apikey.gateway;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.ScopeCatalog;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A small gateway application: Spring Cloud Gateway, this module's auto-configuration, and an ApiKeys bean. */
@SpringBootConfiguration
@EnableAutoConfiguration
class GatewayApp {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events")
            .wildcard("reports:*", "Every report scope")
            .scope("reports:read", "Read reports")
            .superScope("admin", "Everything")
            .build();

    @Bean(destroyMethod = "close")
    ApiKeys apiKeys() {
        return ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore()).scopes(SCOPES).build();
    }
}
