package dev.apikey.spring;

import dev.apikey.spi.KeyStore;
import dev.apikey.spi.WebhookStore;
import dev.apikey.webhooks.TenantWebhooks;
import dev.apikey.webhooks.WebhookChannel;
import dev.apikey.webhooks.WebhookChannelBuilder;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code apikey.webhooks.*} (with dev.apikey:api-key-webhooks on the class path): with an endpoint of the host's or
 * {@code apikey.webhooks.tenant-endpoints=true}, a {@link WebhookChannel} that the starter's {@code ApiKeys} tells
 * every key event, anomaly and hygiene warning, beside the host's own {@code KeyEventListener} (or the audit log).
 * With tenant delivery, a {@link TenantWebhooks} over the key store, which the admin API's
 * {@code /tenants/{id}/webhooks} uses too. A host's own beans of these types win. The signing secrets are never
 * logged, shown by {@code toString()} or quoted in a refusal.
 */
@AutoConfiguration(before = ApiKeyAutoConfiguration.class)
@ConditionalOnClass(WebhookChannel.class)
public class ApiKeyWebhookAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public ApiKeyWebhookAutoConfiguration() {
    }

    /**
     * The tenants' endpoints, kept by the key store.
     *
     * @param store the key store
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "apikey.webhooks", name = "tenant-endpoints", havingValue = "true")
    public TenantWebhooks apiKeyTenantWebhooks(KeyStore store) {
        if (!(store instanceof WebhookStore webhookStore)) {
            throw new ApiKeyPropertyException("apikey.webhooks.tenant-endpoints", "true", "needs a key store that "
                    + "keeps webhook endpoints (a WebhookStore, as the JDBC and in-memory stores are); "
                    + store.getClass().getName() + " is not", null);
        }
        return TenantWebhooks.builder(webhookStore).build();
    }

    /**
     * The channel, its threads started; closed with the context.
     *
     * @param properties the properties
     * @param tenants    the tenants' endpoints, when delivered to
     * @return the channel
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @Conditional(Configured.class)
    public WebhookChannel apiKeyWebhookChannel(ApiKeyProperties properties, ObjectProvider<TenantWebhooks> tenants) {
        ApiKeyWebhookProperties p = properties.getWebhooks();
        WebhookChannelBuilder b = WebhookChannel.builder();
        List<ApiKeyWebhookProperties.Endpoint> endpoints = p.getEndpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            endpoint(b, "apikey.webhooks.endpoints[" + i + "]", endpoints.get(i));
        }
        if (p.isTenantEndpoints()) {
            b.tenantEndpoints(tenants.getObject());
        }
        ApiKeySettings.set("apikey.webhooks.queue-capacity", p.getQueueCapacity(),
                () -> b.queueCapacity(p.getQueueCapacity()));
        ApiKeySettings.set("apikey.webhooks.workers", p.getWorkers(), () -> b.workers(p.getWorkers()));
        ApiKeySettings.set("apikey.webhooks.max-attempts", p.getMaxAttempts(), () -> b.maxAttempts(p.getMaxAttempts()));
        pair(p.getBackoffFirst(), p.getBackoffMax(), "backoff-first", "backoff-max",
                () -> b.backoff(p.getBackoffFirst(), p.getBackoffMax()));
        pair(p.getConnectTimeout(), p.getCallTimeout(), "connect-timeout", "call-timeout",
                () -> b.timeouts(p.getConnectTimeout(), p.getCallTimeout()));
        return b.build();
    }

    /**
     * Two settings the builder checks together: the refusal names the first ({@code first} or {@code connect}
     * in its message) or else the second.
     */
    private static void pair(Object first, Object second, String firstName, String secondName, Runnable setter) {
        try {
            setter.run();
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            boolean aboutFirst = m.startsWith("backoff first") || m.startsWith("connect") || m.equals("first");
            throw new ApiKeyPropertyException("apikey.webhooks." + (aboutFirst ? firstName : secondName),
                    String.valueOf(aboutFirst ? first : second), e instanceof NullPointerException ? "must be set"
                    : m, e);
        }
    }

    private static void endpoint(WebhookChannelBuilder b, String property, ApiKeyWebhookProperties.Endpoint e) {
        if (e.getUrl() == null || e.getUrl().isBlank()) {
            throw new ApiKeyPropertyException(property + ".url", null, "must be set to an absolute http or https URL",
                    null);
        }
        if (e.getSecret() == null || e.getSecret().isBlank()) {
            throw new ApiKeyPropertyException(property + ".secret", null, "must be set (whsec_ and base64 of 24 to 64 "
                    + "bytes; the value is never shown)", null);
        }
        URI uri;
        try {
            uri = URI.create(e.getUrl().strip());
        } catch (IllegalArgumentException x) {
            throw new ApiKeyPropertyException(property + ".url", shown(e.getUrl()), "must be an absolute http or https "
                    + "URL", null);
        }
        try {
            b.endpoint(uri.toString(), e.getSecret().strip());
        } catch (IllegalArgumentException x) {
            // The signer's refusals never quote the secret; the URL's do not either. Neither is kept as a cause.
            boolean aboutUrl = x.getMessage() != null && x.getMessage().startsWith("url");
            throw new ApiKeyPropertyException(property + (aboutUrl ? ".url" : ".secret"),
                    aboutUrl ? shown(e.getUrl()) : null, x.getMessage() + (aboutUrl ? "" : " (the value is not shown)"),
                    null);
        }
    }

    /** A URL as it may be shown: without user information, which may hold a password; null for null. */
    static String shown(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                return url.contains("@") ? "(not shown: it holds an @)" : url;
            }
            return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":"
                    + u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return url.contains("@") ? "(not shown: it holds an @)" : url;
        }
    }

    /** An endpoint of the host's, or tenant delivery, is configured. */
    static final class Configured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean configured = Binder.get(context.getEnvironment())
                    .bind("apikey.webhooks", ApiKeyWebhookProperties.class).map(ApiKeyWebhookProperties::configured)
                    .orElse(false);
            return configured ? ConditionOutcome.match("apikey.webhooks: an endpoint or tenant delivery is set")
                    : ConditionOutcome.noMatch("apikey.webhooks: no endpoint, and tenant delivery off");
        }
    }
}
