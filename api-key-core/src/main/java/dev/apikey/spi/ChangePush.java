package dev.apikey.spi;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * An optional capability of a {@link KeyStore}: it pushes the id of each key that changes as the change commits, so
 * other instances drop the key at once instead of at the next poll of the {@link ChangeFeed}, which stays the
 * backstop. The core finds it with {@code instanceof}.
 */
public interface ChangePush {

    /**
     * Pushes changed key ids to {@code changed}, from a thread of the store's, until the returned handle is closed. A
     * store that loses its push connection reconnects on its own.
     *
     * @param changed receives key ids; must be quick and must not throw
     * @return a handle that stops the pushes, or empty if this store cannot push after all (a database that has no
     *         notifications)
     */
    Optional<AutoCloseable> subscribeToChanges(Consumer<String> changed);
}
