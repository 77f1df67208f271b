package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyStore;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the JDBC starter tests share ({@link JdbcStarterOnH2Test}, {@link JdbcStarterOnPostgresTest}): the
 * application, its properties and the check that keys live in the table. The JDBC store on the context's DataSource,
 * on H2 and on a real PostgreSQL: the table is created, keys live in it, and Actuator's health is DOWN when the
 * database is gone.
 */
final class JdbcStarter {

    private JdbcStarter() {
    }


    static final String[] PROPERTIES = {
        "apikey.prefix=wlcro",
        "apikey.scopes.[events\\:read]=Read events",
        "apikey.routes[0]=GET /api/v1/events -> events:read",
        "apikey.routes[1]=GET /actuator/health -> public",
        "apikey.jdbc.table-name=service_keys",
        "management.endpoint.health.show-details=always"};

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SeedControllers.class)
    static class App {
    }

    static void keysLiveInTheTable(ApiKeys apiKeys, KeyStore store, DataSource dataSource, int port) throws Exception {
        String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();
        assertThat(store).isInstanceOf(JdbcKeyStore.class);
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM service_keys")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
        assertThat(Http.get(port, "/api/v1/events", key).statusCode()).isEqualTo(200);
        HttpResponse<String> health = Http.get(port, "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"apiKeys\"").contains("\"changeFeedLagMillis\"");
    }

    static void properties(DynamicPropertyRegistry registry) {
        for (String p : PROPERTIES) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq).replace("\\:", ":"), () -> p.substring(eq + 1));
        }
    }
}
