package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads keys for the API: one by id, a page, every key of a query. Every list is the store's
 * {@link KeyStore#findPage}, in the query's order (key id unless sorted otherwise).
 *
 * <p>Thread-safe. Package-private: {@link ApiKeys} is the API.
 */
final class KeyQueries {

    private final KeyStore store;
    private final KeyViews views;

    KeyQueries(ApiKeysConfig config, KeyViews views) {
        this.store = config.store();
        this.views = views;
    }

    Optional<ApiKeyInfo> get(String keyId) {
        requireKeyId(keyId);
        return store.findById(keyId).map(views::info);
    }

    List<ApiKeyInfo> list(KeyQuery query) {
        Objects.requireNonNull(query, "query");
        Instant now = views.now();
        List<ApiKeyInfo> out = new ArrayList<>();
        each(store, query.filter(now), k -> {
            ApiKeyInfo info = views.info(k, now);
            if (query.matches(info, now)) {
                out.add(info);
            }
        });
        return out;
    }

    /**
     * One page, filtered, sorted and cut by the store: {@code limit + 1} keys read, the one past the limit only to
     * tell whether there is a next page. The last-use times this instance has not written yet are applied after.
     */
    KeyPage listPage(KeyQuery query, String cursor, int limit) {
        Objects.requireNonNull(query, "query");
        if (limit < 1 || limit > ApiKeys.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + ApiKeys.MAX_PAGE + ", was " + limit);
        }
        Instant now = views.now();
        KeyFilter first = query.filter(now);
        KeyFilter filter = cursor == null ? first : KeyCursor.read(first, cursor);
        List<StoredKey> read = store.findPage(filter, limit + 1);
        boolean more = read.size() > limit;
        List<StoredKey> page = more ? read.subList(0, limit) : read;
        List<ApiKeyInfo> keys = page.stream().map(k -> views.info(k, now)).filter(k -> query.matches(k, now)).toList();
        return new KeyPage(keys, more ? Optional.of(KeyCursor.write(first, page.get(page.size() - 1)))
                : Optional.empty());
    }

    /** Every key the filter selects, page by page in key id order: a store is never asked for all at once. */
    static void each(KeyStore store, KeyFilter filter, Consumer<StoredKey> action) {
        KeyFilter page = filter;
        while (true) {
            List<StoredKey> keys = store.findPage(page, ApiKeys.MAX_PAGE);
            keys.forEach(action);
            if (keys.size() < ApiKeys.MAX_PAGE) {
                return;
            }
            page = filter.after(keys.get(keys.size() - 1));
        }
    }

    static void requireKeyId(String keyId) {
        String problem = KeyLayout.keyIdProblem(keyId);
        if (problem != null) {
            throw new IllegalArgumentException("keyId " + problem);
        }
    }
}
