package dev.apikey.admin;

import dev.apikey.ApiKeys;
import dev.apikey.KeyManager;
import dev.apikey.model.ApiKeyInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A key's version as an HTTP entity tag: {@code ETag: "7"} on a key's answer, {@code If-Match: "7"} on a change, so
 * that two admins editing the same key do not overwrite each other unseen. The core compares the versions
 * ({@link KeyManager#ifVersion}); this reads and writes the headers.
 */
final class Preconditions {

    private Preconditions() {
    }

    /** Sets the key's version as its strong entity tag. */
    static void etag(HttpServletResponse resp, ApiKeyInfo key) {
        resp.setHeader("ETag", "\"" + key.version() + "\"");
    }

    /**
     * {@return the caller's manager, bound to the version its {@code If-Match} names, if any} {@code *} or no header
     * changes whatever version the key is at.
     *
     * @throws AdminProblem 400 naming the header if it is not one strong entity tag of this API or {@code *}
     */
    static KeyManager manager(ApiKeys apiKeys, Caller caller, HttpServletRequest req) {
        KeyManager manager = apiKeys.manage(caller.toActor());
        String value = req.getHeader("If-Match");
        if (value == null || value.strip().equals("*")) {
            return manager;
        }
        String tag = value.strip();
        if (!tag.matches("\"[1-9][0-9]{0,17}\"")) {
            throw AdminProblem.badHeader("If-Match", "If-Match must be one entity tag of this API, as a key's ETag "
                    + "gives it (e.g. \"3\"), or *");
        }
        return manager.ifVersion(Long.parseLong(tag.substring(1, tag.length() - 1)));
    }
}
