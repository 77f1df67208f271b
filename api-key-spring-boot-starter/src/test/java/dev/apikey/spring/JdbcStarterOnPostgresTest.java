package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.spi.KeyStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The JDBC starter on a real PostgreSQL: keys live in the table, and health is DOWN when it stops. The context is closed
 * after the class: cached, its background flushes would go on against the stopped database, and log so once the next
 * test's context has reset the logging levels this test turned off.
 */
@DirtiesContext
@SpringBootTest(classes = JdbcStarter.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JdbcStarterOnPostgresTest {
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
        JdbcStarter.properties(registry);
    }

    @Test
    void keysLiveInThePostgresTableAndHealthIsDownWhenTheDatabaseStops() throws Exception {
        JdbcStarter.keysLiveInTheTable(apiKeys, store, dataSource, port);

        // The database is stopped on purpose: what the pool, the change feed and the health checks then log is
        // expected, and asserted through the health answer below instead of printed.
        for (String logger : new String[] {"com.zaxxer.hikari", "dev.apikey.changes", "dev.apikey.jdbc", "dev.apikey.usage",
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
