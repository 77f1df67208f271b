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
 * {@value #MAX_PER_TENANT} endpoints, and receives only its own keys' events. An endpoint that answers {@code 410 Gone}
 * is disabled in the store ({@link WebhookEndpoint#disabledAt()}): no instance delivers to it any more, and
 * {@link #list} shows when and why; registering its URL again replaces it with an enabled endpoint and a new secret.
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

    /** The reason an endpoint that answered {@code 410 Gone} is disabled with. */
    public static final String GONE_REASON = "answered 410 Gone";

    private final WebhookStore store;
    private final EndpointRules rules;
    /** Tests only: deliveries skip the address check (see {@link Builder#uncheckedDeliveryForTests()}). */
    private final boolean uncheckedDelivery;
    private final Clock clock;

    private TenantWebhooks(Builder b) {
        this.store = b.store;
        this.rules = new EndpointRules(b.resolver);
        this.uncheckedDelivery = b.uncheckedDelivery;
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
        String host = EndpointRules.parse(url).getHost();
        try {
            rules.check(url);
        } catch (UnknownHostException e) {
            throw new WebhookUrlException(EndpointRules.notPublic(host));
        }
        // Counted before the insert: two registrations at once may pass the cap by one, which bounds nothing unsafe.
        // A disabled endpoint of the same URL is replaced, so it does not count.
        List<WebhookEndpoint> existing = store.findWebhooks(tenantId);
        List<WebhookEndpoint> replaced = existing.stream().filter(w -> w.isDisabled() && w.url().equals(url)).toList();
        if (existing.size() - replaced.size() >= MAX_PER_TENANT) {
            throw new IllegalStateException("a tenant may register at most " + MAX_PER_TENANT
                    + " webhook endpoints; delete one first");
        }
        WebhookEndpoint endpoint = new WebhookEndpoint(WebhookEvent.newId("wh_", 20), tenantId, url,
                WebhookSigner.newSecret(), clock.instant());
        store.insertWebhook(endpoint);
        replaced.forEach(w -> store.deleteWebhook(tenantId, w.webhookId()));
        return endpoint;
    }

    /**
     * Disables one of a tenant's endpoints for every instance (the channel does it when the endpoint answers
     * {@code 410 Gone}); registering its URL again enables it.
     *
     * @param tenantId  the tenant
     * @param webhookId the endpoint
     * @param reason    why, 1 to {@value WebhookEndpoint#MAX_REASON_LENGTH} printable characters
     * @return whether this call disabled it: {@code false} if it was already, or is not the tenant's
     */
    public boolean disable(String tenantId, String webhookId, String reason) {
        return store.disableWebhook(tenantId, webhookId, clock.instant(), reason);
    }

    /**
     * {@return a tenant's endpoints, oldest first, the disabled ones included; each carries its secret, which callers
     * must not show again}
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

    /** The rules a delivery checks the address against; null (none) only in tests. */
    EndpointRules rules() {
        return uncheckedDelivery ? null : rules;
    }

    /** Configures {@link TenantWebhooks}. Not thread-safe. */
    public static final class Builder {
        private final WebhookStore store;
        private HostResolver resolver = HostResolver.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private boolean uncheckedDelivery;

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

        /**
         * Tests only: deliveries skip the public-https check (registration still makes it), so that an endpoint put
         * in the store directly may be a receiver on 127.0.0.1. Package-private: no host can switch the check off.
         *
         * @return this builder
         */
        Builder uncheckedDeliveryForTests() {
            this.uncheckedDelivery = true;
            return this;
        }

        /** {@return the registry} */
        public TenantWebhooks build() {
            return new TenantWebhooks(this);
        }
    }
}
