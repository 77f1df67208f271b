package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.KeySpec;
import dev.apikey.jdbc.JdbcKeyStore;
import dev.apikey.spi.KeyStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The JDBC store on the context's DataSource, on H2 and on a real PostgreSQL: the table is created, keys live in
 * it, and Actuator's health is DOWN when the database is gone.
 */
class JdbcStarterTest {

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

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"spring.datasource.url=jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1"})
    class OnH2 {
        @LocalServerPort
        int port;
        @Autowired
        ApiKeys apiKeys;
        @Autowired
        KeyStore store;
        @Autowired
        DataSource dataSource;

        @DynamicPropertySource
        static void apikey(DynamicPropertyRegistry registry) {
            properties(registry);
        }

        @Test
        void keysLiveInTheH2Table() throws Exception {
            keysLiveInTheTable(apiKeys, store, dataSource, port);
        }
    }

    static void properties(DynamicPropertyRegistry registry) {
        for (String p : PROPERTIES) {
            int eq = p.indexOf('=');
            registry.add(p.substring(0, eq).replace("\\:", ":"), () -> p.substring(eq + 1));
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres {
        static EmbeddedPostgres postgres;

        @LocalServerPort
        int port;
        @Autowired
        ApiKeys apiKeys;
        @Autowired
        KeyStore store;
        @Autowired
        DataSource dataSource;

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) throws Exception {
            postgres = EmbeddedPostgres.builder().start();
            registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
            registry.add("spring.datasource.username", () -> "postgres");
            registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
            registry.add("spring.datasource.hikari.validation-timeout", () -> "500");
            properties(registry);
        }

        @Test
        void keysLiveInThePostgresTableAndHealthIsDownWhenTheDatabaseStops() throws Exception {
            keysLiveInTheTable(apiKeys, store, dataSource, port);

            // The database is stopped on purpose: what the pool, the change feed and the health checks then log is
            // expected, and asserted through the health answer below instead of printed.
            for (String logger : new String[] {"com.zaxxer.hikari", "dev.apikey.changes", "dev.apikey.jdbc",
                    "dev.apikey.spring.health", "org.springframework.boot.jdbc"}) {
                ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger))
                        .setLevel(ch.qos.logback.classic.Level.OFF);
            }
            postgres.close();

            HttpResponse<String> health = Http.get(port, "/actuator/health", null);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            com.fasterxml.jackson.databind.JsonNode apiKeysHealth = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(health.body()).path("components").path("apiKeys");
            assertThat(apiKeysHealth.path("status").asText()).isEqualTo("DOWN");
            assertThat(apiKeysHealth.path("details").path("error").asText()).contains("KeyStoreException")
                    .doesNotContain("password");
        }
    }
}
