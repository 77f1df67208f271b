package dev.apikey.spring;

import dev.apikey.Slf4jAuditListener;
import dev.apikey.spi.KeyEventListener;
import dev.apikey.webhooks.WebhookChannel;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Which {@link KeyEventListener} the starter's {@code ApiKeys} gets: the host's one listener bean, as before; with
 * webhook channels among the beans (the starter's or the host's), each channel beside the host's one listener, or
 * beside the audit log when the host has none (or several, which it did not choose between). Also says which
 * properties hold a secret, for the actuator.
 */
final class ApiKeyListeners {

    private static final String CHANNEL = "dev.apikey.webhooks.WebhookChannel";

    private ApiKeyListeners() {
    }

    /** {@return the listener, or null for the builder's default (the audit log)} */
    static KeyEventListener choose(ObjectProvider<KeyEventListener> listeners) {
        List<KeyEventListener> all = listeners.orderedStream().toList();
        // By name: api-key-webhooks is optional, and this class must load without it.
        List<KeyEventListener> channels = all.stream().filter(l -> l.getClass().getName().equals(CHANNEL)).toList();
        if (channels.isEmpty()) {
            return listeners.getIfUnique();
        }
        List<KeyEventListener> others = all.stream().filter(l -> !channels.contains(l)).toList();
        KeyEventListener listener = others.size() == 1 ? others.get(0) : new Slf4jAuditListener();
        return Channels.alongside(channels, listener);
    }

    /** Loaded only when a channel was found, so only with api-key-webhooks on the class path. */
    private static final class Channels {
        static KeyEventListener alongside(List<KeyEventListener> channels, KeyEventListener first) {
            KeyEventListener listener = first;
            for (KeyEventListener channel : channels) {
                listener = ((WebhookChannel) channel).alongside(listener);
            }
            return listener;
        }
    }

    /**
     * Whether a property (in any of its spellings: {@code apikey.hasher.pepper}, {@code APIKEY_HASHER_PEPPER},
     * {@code apikey.webhooks.endpoints[0].secret}) holds a secret of the starter's.
     */
    static boolean isSecretProperty(String key) {
        String k = key == null ? "" : key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return k.equals("apikeyhasherpepper") || k.matches("apikeywebhooksendpoints[0-9]+secret");
    }
}
