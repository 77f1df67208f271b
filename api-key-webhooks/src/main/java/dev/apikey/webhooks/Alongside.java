package dev.apikey.webhooks;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyNotice;
import dev.apikey.spi.KeyEventListener;

/**
 * Two listeners as one: {@code first} hears everything, as it would alone; the channel hears its events after it.
 * Verify events go to {@code first} only. Package-private: {@link WebhookChannel#alongside}.
 */
final class Alongside implements KeyEventListener {

    private final KeyEventListener first;
    private final WebhookChannel channel;

    Alongside(KeyEventListener first, WebhookChannel channel) {
        this.first = java.util.Objects.requireNonNull(first, "other");
        this.channel = channel;
    }

    @Override
    public void created(ApiKeyInfo key) {
        first.created(key);
        channel.created(key);
    }

    @Override
    public void imported(ApiKeyInfo key) {
        first.imported(key);
        channel.imported(key);
    }

    @Override
    public void rotated(ApiKeyInfo oldKey, ApiKeyInfo newKey) {
        first.rotated(oldKey, newKey);
        channel.rotated(oldKey, newKey);
    }

    @Override
    public void updated(ApiKeyInfo before, ApiKeyInfo after) {
        first.updated(before, after);
        channel.updated(before, after);
    }

    @Override
    public void disabled(ApiKeyInfo key, String reason) {
        first.disabled(key, reason);
        channel.disabled(key, reason);
    }

    @Override
    public void enabled(ApiKeyInfo key) {
        first.enabled(key);
        channel.enabled(key);
    }

    @Override
    public void warned(KeyNotice notice) {
        first.warned(notice);
        channel.warned(notice);
    }

    @Override
    public void leaked(ApiKeyInfo key, String source, boolean revoked) {
        first.leaked(key, source, revoked);
        channel.leaked(key, source, revoked);
    }

    @Override
    public void revoked(ApiKeyInfo key) {
        first.revoked(key);
        channel.revoked(key);
    }

    @Override
    public void anomaly(dev.apikey.model.Anomaly anomaly) {
        first.anomaly(anomaly);
        channel.anomaly(anomaly);
    }

    @Override
    public boolean wantsGrants() {
        return first.wantsGrants();
    }

    @Override
    public void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
        first.verified(principal, remoteAddress, atEpochMillis);
    }

    @Override
    public boolean wantsRefusals() {
        return first.wantsRefusals();
    }

    @Override
    public void refused(Failure failure, String keyHint, String remoteAddress, long atEpochMillis) {
        first.refused(failure, keyHint, remoteAddress, atEpochMillis);
    }

    @Override
    public void throttled(String keyHint, String remoteAddress, long untilEpochMillis) {
        first.throttled(keyHint, remoteAddress, untilEpochMillis);
    }
}
