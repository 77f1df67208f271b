package dev.apikey.webhooks;

import dev.apikey.model.WebhookEndpoint;
import dev.apikey.spi.WebhookStore;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The webhook endpoints tenants register (the admin API's {@code /tenants/{id}/webhooks}), kept by a
 * {@link WebhookStore}. A URL is accepted only if it is https and its host resolves only to public addresses, checked
 * after resolving it here and again before every delivery ({@link WebhookChannel}); each endpoint gets a new
 * {@code whsec_} secret, returned once by {@link #register} and never by {@link #list}. A tenant has at most
 * {@value #MAX_PER_TENANT} endpoints, and receives only its own keys' events.
 *
 * <pre>{@code
 * TenantWebhooks tenantWebhooks = TenantWebhooks.builder(store).build();   // store: a WebhookStore
 * WebhookChannel channel = WebhookChannel.builder().tenantEndpoints(tenantWebhooks).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TenantWebhooks {

    /** Most endpoints one tenant may register. */
    public static final int MAX_PER_TENANT = 10;

    private final WebhookStore store;
    private final EndpointRules rules;
    private final Clock clock;

    private TenantWebhooks(Builder b) {
        this.store = b.store;
        this.rules = new EndpointRules(b.resolver);
        this.clock = b.clock;
    }

    /**
     * {@return a builder over a store}
     *
     * @param store where the endpoints are kept: {@code InMemoryKeyStore} and {@code JdbcKeyStore} are
     *              {@link WebhookStore}s
     */
    public static Builder builder(WebhookStore store) {
        return new Builder(store);
    }

    /**
     * Registers an endpoint for a tenant, with a new secret.
     *
     * @param tenantId the tenant
     * @param url      the https URL
     * @return the endpoint, its secret included (show it once: it is never returned again)
     * @throws WebhookUrlException      if the URL breaks a rule or its host does not resolve, naming the field
     * @throws IllegalStateException    if the tenant has {@value #MAX_PER_TENANT} endpoints already
     * @throws IllegalArgumentException if the tenant id is malformed
     */
    public WebhookEndpoint register(String tenantId, String url) {
        EndpointRules.parse(url);
        try {
            rules.check(url);
        } catch (UnknownHostException e) {
            throw new WebhookUrlException("url's host must resolve: " + EndpointRules.parse(url).getHost()
                    + " has no address");
        }
        // Counted before the insert: two registrations at once may pass the cap by one, which bounds nothing unsafe.
        if (store.findWebhooks(tenantId).size() >= MAX_PER_TENANT) {
            throw new IllegalStateException("a tenant may register at most " + MAX_PER_TENANT
                    + " webhook endpoints; delete one first");
        }
        WebhookEndpoint endpoint = new WebhookEndpoint(WebhookEvent.newId("wh_", 20), tenantId, url,
                WebhookSigner.newSecret(), clock.instant());
        store.insertWebhook(endpoint);
        return endpoint;
    }

    /**
     * {@return a tenant's endpoints, oldest first; each carries its secret, which callers must not show again}
     *
     * @param tenantId the tenant
     */
    public List<WebhookEndpoint> list(String tenantId) {
        return store.findWebhooks(Objects.requireNonNull(tenantId, "tenantId"));
    }

    /**
     * Deletes one of a tenant's endpoints; deliveries already queued for it still go out.
     *
     * @param tenantId  the tenant
     * @param webhookId the endpoint
     * @return whether the tenant had it
     */
    public boolean delete(String tenantId, String webhookId) {
        return store.deleteWebhook(tenantId, webhookId);
    }

    EndpointRules rules() {
        return rules;
    }

    /** Configures {@link TenantWebhooks}. Not thread-safe. */
    public static final class Builder {
        private final WebhookStore store;
        private HostResolver resolver = HostResolver.SYSTEM;
        private Clock clock = Clock.systemUTC();

        private Builder(WebhookStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * How host names are resolved for the public-address check; default the JVM's.
         *
         * @param resolver the resolver
         * @return this builder
         */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * The clock of registration times; default UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@return the registry} */
        public TenantWebhooks build() {
            return new TenantWebhooks(this);
        }
    }
}
