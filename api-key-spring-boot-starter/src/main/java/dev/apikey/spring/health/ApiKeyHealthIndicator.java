package dev.apikey.spring.health;

import dev.apikey.ApiKeyStats;
import dev.apikey.ApiKeys;
import dev.apikey.spi.ChangeFeed;
import dev.apikey.spi.KeyStore;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code apiKeys} in Actuator's health: DOWN when the key store cannot be read (a cache miss would answer
 * {@code store_unavailable}), with the store's error class; UP otherwise. Details: the change-feed lag in
 * milliseconds (how late another instance's revoke may be seen; -1 without a feed) and the cache size.
 */
public final class ApiKeyHealthIndicator extends AbstractHealthIndicator {

    private final KeyStore store;
    private final ApiKeys apiKeys;

    /**
     * Health of this store and verifier.
     *
     * @param store   the key store
     * @param apiKeys the verifier
     */
    public ApiKeyHealthIndicator(KeyStore store, ApiKeys apiKeys) {
        super("API key store check failed");
        this.store = Objects.requireNonNull(store, "store");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (store instanceof ChangeFeed feed) {
            // One cheap read that touches the store.
            feed.changeFeedPosition();
        } else {
            // A store without a feed: one lookup of an id no key has.
            store.findById("00000000");
        }
        ApiKeyStats stats = apiKeys.stats();
        builder.up().withDetail("store", store.toString()).withDetail("changeFeedLagMillis", stats.changeFeedLagMillis())
                .withDetail("cacheSize", stats.cacheSize());
    }
}
