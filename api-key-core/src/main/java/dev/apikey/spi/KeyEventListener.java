package dev.apikey.spi;

import dev.apikey.model.Anomaly;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyNotice;

/**
 * Hears what happens to keys, for audit logs and metrics. Registered with
 * {@code ApiKeys.builder().listener(...)}; the default writes structured lines through SLF4J
 * ({@code dev.apikey.Slf4jAuditListener}).
 *
 * <p>Called on the thread that did the work, verify events on the request thread: keep them quick and
 * hand slow work to a queue. An exception thrown here is logged and otherwise ignored; it never fails the
 * operation. No event carries a secret or a stored hash.
 */
public interface KeyEventListener {

    /**
     * A key was created.
     *
     * @param key the new key
     */
    default void created(ApiKeyInfo key) {
    }

    /**
     * A key was imported ({@code KeyManager.importKeys}, {@code importLegacy}, {@code apikey import} and
     * {@code copy}, the admin API's imports): one call per key written, after the import's write committed; none for a
     * dry run, a line found there already, or a batch that wrote nothing. The default calls {@link #created}, so that
     * a listener that knows only creates (an audit log, webhooks' {@code key.created}) hears an imported key as a new
     * one, which in this store it is; override it to tell them apart.
     *
     * @param key the key as written: active, or in the state it was moved in (disabled, revoked, rotated)
     */
    default void imported(ApiKeyInfo key) {
        created(key);
    }

    /**
     * A key was rotated: {@code newKey} replaces {@code oldKey}, which now expires after the overlap.
     *
     * @param newKey the replacement, active
     * @param oldKey the replaced key, expiring after the overlap
     */
    default void rotated(ApiKeyInfo oldKey, ApiKeyInfo newKey) {
    }

    /**
     * A key was edited: its name, scopes, expiry, allow list or rate limit.
     *
     * @param before the key as it was
     * @param after  the key as it is now
     */
    default void updated(ApiKeyInfo before, ApiKeyInfo after) {
    }

    /**
     * A key was disabled: it is refused with {@code disabled_api_key} until it is enabled.
     *
     * @param key    the key, now disabled
     * @param reason why: {@code manual} (an administrator), {@code unused} (the unused-key policy) or
     *               {@code leaked} (a leak report)
     */
    default void disabled(ApiKeyInfo key, String reason) {
    }

    /**
     * A disabled key was enabled again.
     *
     * @param key the key, now enabled
     */
    default void enabled(ApiKeyInfo key) {
    }

    /**
     * A key's expiry or rotate-by date came within a warning horizon, or the unused-key policy will disable it
     * soon. Sent once per key, date and horizon, across every instance sharing the store, from the scheduled
     * hygiene check (never on a request thread).
     *
     * @param notice the warning
     */
    default void warned(KeyNotice notice) {
    }

    /**
     * A leak report (e.g. from GitHub secret scanning) named one of our keys, and its secret matched the
     * stored hash.
     *
     * @param key     the key after the response: revoked, or unchanged if the host only flags leaks
     * @param source  where it leaked, as the report gave it (e.g. a URL), or {@code null}
     * @param revoked whether the key was revoked in response
     */
    default void leaked(ApiKeyInfo key, String source, boolean revoked) {
    }

    /**
     * A key was revoked.
     *
     * @param key the key as it is now, revoked
     */
    default void revoked(ApiKeyInfo key) {
    }

    /**
     * Whether {@link #verified} should be called at all; checked on every granted verify so that a listener
     * that ignores grants costs nothing on the hot path.
     *
     * @return {@code true} to hear every grant; {@code false} (the default) to hear none
     */
    default boolean wantsGrants() {
        return false;
    }

    /**
     * A key was granted access.
     *
     * @param principal     the key
     * @param remoteAddress the caller's address if the host passed it, else {@code null}
     * @param atEpochMillis when, by the verifier's clock
     */
    default void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
    }

    /**
     * Whether {@link #refused} should be called; checked on every refusal so that a listener that ignores
     * them costs nothing, not even the key hint it would be given.
     *
     * @return {@code true} (the default) to hear every refusal
     */
    default boolean wantsRefusals() {
        return true;
    }

    /**
     * A request was refused.
     *
     * @param failure       why
     * @param keyHint       the presented key's hint ({@code prefix_tenant_keyid}) when the key was well-formed,
     *                      else {@code null}
     * @param remoteAddress the caller's address if the host passed it, else {@code null}
     * @param atEpochMillis when, by the verifier's clock
     */
    default void refused(Failure failure, String keyHint, String remoteAddress, long atEpochMillis) {
    }

    /**
     * Wrong secrets for one key id from one address reached the failed-attempt limit: hash checks for that id
     * from there are throttled ({@code too_many_failed_attempts}) until {@code untilEpochMillis}. Once per
     * throttle, however many attempts it refuses; always called, whatever {@link #wantsRefusals()} says.
     *
     * @param keyHint          the key's hint ({@code prefix_tenant_keyid})
     * @param remoteAddress    the caller's address if the host passed it, else {@code null}
     * @param untilEpochMillis when the throttle ends, by the verifier's clock
     */
    default void throttled(String keyHint, String remoteAddress, long untilEpochMillis) {
    }

    /**
     * The scheduled anomaly detection opened an anomaly: a key's or tenant's counts are unusual. Sent once per
     * anomaly (kind, subject and window) across every instance sharing the store, from the detection run on the
     * instance's scheduler (never on a request thread).
     *
     * @param anomaly the anomaly, open
     */
    default void anomaly(Anomaly anomaly) {
    }
}
