package dev.apikey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikey.model.WebhookEndpoint;
import dev.apikey.spi.DuplicateKeyException;
import dev.apikey.spi.WebhookStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WebhookStore} must do, as a JUnit 5 test class to extend (this project runs it on the in-memory
 * store, H2 and PostgreSQL): endpoints are kept per tenant in order of registration, secrets whole; an id is inserted
 * once; a tenant deletes only its own endpoint, once.
 *
 * <pre>{@code
 * class MyWebhookStoreTest extends WebhookStoreContract {
 *     protected WebhookStore newWebhookStore() {
 *         return new MyKeyStore(freshTable());   // empty for each test
 *     }
 * }
 * }</pre>
 */
public abstract class WebhookStoreContract {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    /** The store under test, made by {@link #newWebhookStore()} before each case. */
    protected WebhookStore store;

    /** Extended by a test class per store. */
    protected WebhookStoreContract() {
    }

    /**
     * A new, empty store.
     *
     * @return the store
     */
    protected abstract WebhookStore newWebhookStore();

    /** Makes the store. */
    @BeforeEach
    void newStore() {
        store = newWebhookStore();
    }

    /** Lets a store release what it holds; the default does nothing. */
    @AfterEach
    protected void closeStore() {
    }

    private static WebhookEndpoint endpoint(String id, String tenant, String url, Instant at) {
        return new WebhookEndpoint(id, tenant, url, SECRET, at);
    }

    @Test
    void keepsATenantsEndpointsInOrderOfRegistrationSecretsWhole() {
        WebhookEndpoint a1 = endpoint("wh_aaaaaaaaaaaaaaaa1", "92", "https://hooks.example.com/a", T0);
        WebhookEndpoint a2 = endpoint("wh_aaaaaaaaaaaaaaaa2", "92", "https://hooks.example.com/b", T0.plusSeconds(1));
        WebhookEndpoint b1 = endpoint("wh_bbbbbbbbbbbbbbbb1", "93", "https://hooks.example.org/", T0);
        store.insertWebhook(a1);
        store.insertWebhook(a2);
        store.insertWebhook(b1);

        assertThat(store.findWebhooks("92")).containsExactly(a1, a2);
        assertThat(store.findWebhooks("92").get(0).secret()).isEqualTo(SECRET);
        assertThat(store.findWebhooks("93")).containsExactly(b1);
        assertThat(store.findWebhooks("94")).isEmpty();
    }

    @Test
    void insertsAnIdOnce() {
        store.insertWebhook(endpoint("wh_aaaaaaaaaaaaaaaa1", "92", "https://hooks.example.com/a", T0));
        assertThatThrownBy(() -> store.insertWebhook(endpoint("wh_aaaaaaaaaaaaaaaa1", "93", "https://x.example/", T0)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.findWebhooks("93")).isEmpty();
    }

    @Test
    void aTenantDeletesOnlyItsOwnEndpointOnce() {
        WebhookEndpoint a1 = endpoint("wh_aaaaaaaaaaaaaaaa1", "92", "https://hooks.example.com/a", T0);
        WebhookEndpoint a2 = endpoint("wh_aaaaaaaaaaaaaaaa2", "92", "https://hooks.example.com/b", T0.plusSeconds(1));
        store.insertWebhook(a1);
        store.insertWebhook(a2);

        assertThat(store.deleteWebhook("93", a1.webhookId())).as("another tenant's endpoint").isFalse();
        assertThat(store.deleteWebhook("92", a1.webhookId())).isTrue();
        assertThat(store.deleteWebhook("92", a1.webhookId())).isFalse();
        assertThat(store.findWebhooks("92")).containsExactly(a2);
    }

    @Test
    void aDisabledEndpointIsKeptWithWhenAndWhyAndDisabledOnce() {
        WebhookEndpoint a1 = endpoint("wh_aaaaaaaaaaaaaaaa1", "92", "https://hooks.example.com/a", T0);
        WebhookEndpoint a2 = endpoint("wh_aaaaaaaaaaaaaaaa2", "92", "https://hooks.example.com/b", T0.plusSeconds(1));
        store.insertWebhook(a1);
        store.insertWebhook(a2);
        Instant at = T0.plusSeconds(60);

        assertThat(store.disableWebhook("93", a1.webhookId(), at, "answered 410 Gone")).as("another tenant's")
                .isFalse();
        assertThat(store.disableWebhook("92", a1.webhookId(), at, "answered 410 Gone")).isTrue();
        assertThat(store.disableWebhook("92", a1.webhookId(), at.plusSeconds(1), "again")).as("once").isFalse();

        assertThat(store.findWebhooks("92")).containsExactly(a1.disabled(at, "answered 410 Gone"), a2);
        assertThat(store.findWebhooks("92").get(0).secret()).isEqualTo(SECRET);
        assertThat(store.deleteWebhook("92", a1.webhookId())).as("a disabled endpoint is deleted like another")
                .isTrue();
    }
}
