package dev.apikey.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;
import java.util.Objects;

/** What the Redis limiter and counter share: their settings' rules and how they connect. */
final class RedisSettings {

    private RedisSettings() {
    }

    static Duration requireTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(5)) < 0 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("timeout must be 5 ms to 10 s, was " + timeout);
        }
        return timeout;
    }

    static String requireKeyPrefix(String prefix) {
        Objects.requireNonNull(prefix, "keyPrefix");
        if (!prefix.matches("[!-~]{1,64}")) {
            throw new IllegalArgumentException("keyPrefix must be 1 to 64 printable ASCII characters without spaces, "
                    + "was '" + prefix + "'");
        }
        return prefix;
    }

    /**
     * A client whose every command is bounded by the timeout, that rejects commands at once while disconnected
     * (instead of queueing them) and reconnects in the background.
     */
    static RedisClient client(RedisURI uri, Duration timeout) {
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        return client;
    }
}
