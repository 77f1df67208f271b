package dev.apikey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.WebhookEndpoint;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.WebhookStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The webhook store capability (issue 27 §3) on each store: endpoints are kept per tenant in order of registration,
 * secrets included; an id is inserted once; a tenant deletes only its own endpoint.
 */
class WebhookStoreTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void inMemory() {
        behaves(new InMemoryKeyStore());
    }

    @Test
    void h2() {
        try (HikariDataSource dataSource = Databases.h2()) {
            JdbcKeyStore store = JdbcKeyStore.builder(dataSource).build();
            store.createSchemaIfMissing();
            behaves(store);
        }
    }

    @Test
    void postgres() {
        try (HikariDataSource dataSource = Databases.postgresPool(2)) {
            JdbcKeyStore store = JdbcKeyStore.builder(dataSource).tableName(Databases.freshTable()).build();
            store.createSchemaIfMissing();
            behaves(store);
        }
    }

    private static void behaves(WebhookStore store) {
        WebhookEndpoint a1 = endpoint("wh_aaaaaaaaaaaaaaaa1", "92", "https://hooks.example.com/a", T0);
        WebhookEndpoint a2 = endpoint("wh_aaaaaaaaaaaaaaaa2", "92", "https://hooks.example.com/b", T0.plusSeconds(1));
        WebhookEndpoint b1 = endpoint("wh_bbbbbbbbbbbbbbbb1", "93", "https://hooks.example.org/", T0);
        store.insertWebhook(a1);
        store.insertWebhook(a2);
        store.insertWebhook(b1);

        assertThat(store.findWebhooks("92")).containsExactly(a1, a2);
        assertThat(store.findWebhooks("92").get(0).secret()).isEqualTo(SECRET);
        assertThat(store.findWebhooks("94")).isEmpty();
        assertThatThrownBy(() -> store.insertWebhook(endpoint("wh_aaaaaaaaaaaaaaaa1", "93", "https://x.example/", T0)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.findWebhooks("93")).containsExactly(b1);

        assertThat(store.deleteWebhook("93", a1.webhookId())).as("another tenant's endpoint").isFalse();
        assertThat(store.deleteWebhook("92", a1.webhookId())).isTrue();
        assertThat(store.deleteWebhook("92", a1.webhookId())).isFalse();
        assertThat(store.findWebhooks("92")).containsExactly(a2);
    }

    private static WebhookEndpoint endpoint(String id, String tenant, String url, Instant at) {
        return new WebhookEndpoint(id, tenant, url, SECRET, at);
    }
}
