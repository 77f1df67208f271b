package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.json.JsonRefusal;
import dev.apikey.json.KeyJson;

/**
 * The admin module's way to the codec's one mapper ({@link KeyJson}): every body the admin API, the scanner
 * endpoints and the secret-scanning receiver parse goes through it, under the codec's limits; a body past one is
 * refused as a 400 problem, never answered with a stack trace.
 */
final class AdminJson {

    /** The codec's mapper; thread-safe, never reconfigured. */
    static final ObjectMapper MAPPER = KeyJson.mapper();

    private AdminJson() {
    }

    /**
     * Parses a request body.
     *
     * @param body the bytes, not empty
     * @param what what the body must be, for the problem's detail (e.g. "a JSON object")
     * @return the tree
     * @throws AdminProblem 400 {@code malformed_request} naming the rule broken, the line and the column
     */
    static JsonNode parse(byte[] body, String what) {
        try {
            return KeyJson.parse(body, what);
        } catch (JsonRefusal e) {
            throw AdminProblem.of(e);
        }
    }
}
