package dev.apikey.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Key events as signed webhooks ({@code apikey.webhooks.*}, needs dev.apikey:api-key-webhooks): the host's own
 * endpoints, each with its signing secret, whether the endpoints tenants register are delivered to, and the
 * delivery settings. With an endpoint or tenant delivery set, the starter makes a {@code WebhookChannel} and makes it
 * hear the key events beside the host's listener. docs/WEBHOOKS.md has the events, headers and verification.
 * {@link #toString()} never shows a secret.
 */
public class ApiKeyWebhookProperties {

    /** The host's endpoints: each receives every event (http and private addresses allowed: the host vouches). */
    private List<Endpoint> endpoints = new ArrayList<>();
    /**
     * Whether the endpoints tenants register (the admin API's /tenants/{id}/webhooks) are delivered to, each only its
     * own tenant's events, and only over https to public addresses.
     */
    private boolean tenantEndpoints;
    /** Most deliveries waiting for a worker; beyond it an event is dropped and counted: 1 to 1000000. */
    private int queueCapacity = 1_000;
    /** Threads that send: 1 to 64. */
    private int workers = 2;
    /** Attempts of one message to one endpoint before it is given up: 1 to 30. */
    private int maxAttempts = 12;
    /** The wait after the first failed attempt, doubled after each further one: 1ms to 1h. */
    private Duration backoffFirst = Duration.ofSeconds(5);
    /** The longest wait between attempts: from backoff-first to 1d. */
    private Duration backoffMax = Duration.ofHours(1);
    /** The deadline to connect: 1ms to 1min. */
    private Duration connectTimeout = Duration.ofSeconds(5);
    /** The deadline of a whole call (answer and body): from connect-timeout to 2min. */
    private Duration callTimeout = Duration.ofSeconds(15);

    /** Creates the defaults; Spring binds the properties. */
    public ApiKeyWebhookProperties() {
    }

    /** {@return whether a channel is wanted: an endpoint set, or tenant delivery on} */
    boolean configured() {
        return !endpoints.isEmpty() || tenantEndpoints;
    }

    /** @return the host's endpoints */
    public List<Endpoint> getEndpoints() {
        return endpoints;
    }

    /** @param endpoints the host's endpoints */
    public void setEndpoints(List<Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /** @return whether tenants' endpoints are delivered to */
    public boolean isTenantEndpoints() {
        return tenantEndpoints;
    }

    /** @param tenantEndpoints whether tenants' endpoints are delivered to */
    public void setTenantEndpoints(boolean tenantEndpoints) {
        this.tenantEndpoints = tenantEndpoints;
    }

    /** @return the queue's capacity */
    public int getQueueCapacity() {
        return queueCapacity;
    }

    /** @param queueCapacity the queue's capacity */
    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    /** @return the sending threads */
    public int getWorkers() {
        return workers;
    }

    /** @param workers the sending threads */
    public void setWorkers(int workers) {
        this.workers = workers;
    }

    /** @return the attempts per message and endpoint */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** @param maxAttempts the attempts per message and endpoint */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** @return the first wait between attempts */
    public Duration getBackoffFirst() {
        return backoffFirst;
    }

    /** @param backoffFirst the first wait between attempts */
    public void setBackoffFirst(Duration backoffFirst) {
        this.backoffFirst = backoffFirst;
    }

    /** @return the longest wait between attempts */
    public Duration getBackoffMax() {
        return backoffMax;
    }

    /** @param backoffMax the longest wait between attempts */
    public void setBackoffMax(Duration backoffMax) {
        this.backoffMax = backoffMax;
    }

    /** @return the connect deadline */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the connect deadline */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the call deadline */
    public Duration getCallTimeout() {
        return callTimeout;
    }

    /** @param callTimeout the call deadline */
    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    @Override
    public String toString() {
        return "ApiKeyWebhookProperties[endpoints=" + endpoints + ", tenantEndpoints=" + tenantEndpoints + "]";
    }

    /** One of the host's endpoints. */
    public static class Endpoint {
        /** An absolute http or https URL. */
        private String url;
        /**
         * Its signing secret: whsec_ and base64 of 24 to 64 bytes, e.g. from the environment
         * (APIKEY_WEBHOOKS_ENDPOINTS_0_SECRET). Never logged or shown.
         */
        private String secret;

        /** Creates an empty one; Spring binds the properties. */
        public Endpoint() {
        }

        /** @return the URL */
        public String getUrl() {
            return url;
        }

        /** @param url the URL */
        public void setUrl(String url) {
            this.url = url;
        }

        /** @return the signing secret */
        public String getSecret() {
            return secret;
        }

        /** @param secret the signing secret */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        /** {@return the URL's scheme, host and port; never its secret, nor user information in the URL} */
        @Override
        public String toString() {
            return "Endpoint[" + ApiKeyWebhookAutoConfiguration.shown(url) + "]";
        }
    }
}
