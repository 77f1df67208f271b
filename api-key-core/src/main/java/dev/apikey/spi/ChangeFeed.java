package dev.apikey.spi;

/**
 * An optional capability of a {@link KeyStore}: a feed of the keys that changed, which every verifier sharing the
 * store follows (about once a second) to drop its cached copies, so that a revoke on one instance is refused by the
 * others within a poll. A store without it leaves other instances to notice changes when cached entries go stale.
 * The core finds it with {@code instanceof}; nothing to register.
 */
public interface ChangeFeed {

    /**
     * {@return the current end of the feed, where a verifier starts following it}
     *
     * @throws KeyStoreException if the store fails
     */
    long changeFeedPosition();

    /**
     * {@return the keys inserted or changed after {@code position} (a value this feed returned before), and the
     * tenants whose records changed after it, if the store is a {@link TenantStore}} A store may return a key or a
     * tenant more than once; the verifier only forgets its cached copy. Called about once a second per verifier
     * instance, so it must be cheap.
     *
     * @param position a position this feed returned before
     * @throws KeyStoreException if the store fails
     */
    KeyChanges changesSince(long position);
}
