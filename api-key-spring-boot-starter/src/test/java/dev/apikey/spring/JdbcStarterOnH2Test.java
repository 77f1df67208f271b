package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.spi.KeyStore;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The JDBC starter on H2: keys live in the table. */
@SpringBootTest(classes = JdbcStarter.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1"})
class JdbcStarterOnH2Test {
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
        JdbcStarter.properties(registry);
    }

    @Test
    void keysLiveInTheH2Table() throws Exception {
        JdbcStarter.keysLiveInTheTable(apiKeys, store, dataSource, port);
    }
}
