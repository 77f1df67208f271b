package dev.apikey.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of this module: every body the admin API, the scanner endpoints and the secret-scanning
 * receiver parse goes through it. Its limits hold whatever the caller sends: at most {@value #MAX_DEPTH} levels of
 * nesting, numbers of at most {@value #MAX_NUMBER_LENGTH} digits, strings and names of at most
 * {@value #MAX_STRING_LENGTH} characters, documents of at most {@value #MAX_DOCUMENT_BYTES} bytes, no member twice in
 * one object, nothing after the value. A body past one is refused by {@link #parse} as a 400 problem, never
 * answered with a stack trace.
 */
final class AdminJson {

    /** Deepest nesting of objects and arrays: the deepest body we take (scanner verify) is 3 levels. */
    static final int MAX_DEPTH = 16;
    /** Longest number, in characters. */
    static final int MAX_NUMBER_LENGTH = 32;
    /** Longest string or member name, in characters. */
    static final int MAX_STRING_LENGTH = 64 * 1024;
    /** Longest document: the secret-scanning receiver's body cap. */
    static final long MAX_DOCUMENT_BYTES = 1 << 20;

    /** The mapper; thread-safe once built, never reconfigured. */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH)
                            .maxNameLength(MAX_STRING_LENGTH).maxDocumentLength(MAX_DOCUMENT_BYTES).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw AdminProblem.badRequest("the body must be " + what);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw AdminProblem.badRequest(reason(e));
        } catch (java.io.IOException e) {
            // Parsing bytes in memory does no I/O; kept for the checked signature.
            throw AdminProblem.badRequest("the body must be " + what);
        }
    }

    /** Why a body did not parse, without echoing any of it: the rule broken and where. */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String rule;
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            rule = "the body breaks a JSON limit: at most " + MAX_DEPTH + " levels of nesting, numbers of at most "
                    + MAX_NUMBER_LENGTH + " digits, strings of at most " + MAX_STRING_LENGTH + " characters";
        } else if (message.startsWith("Duplicate field")) {
            rule = "the body has a member twice in one object; each member may appear once";
        } else if (message.startsWith("Trailing token")) {
            rule = "the body has more after its JSON value; it must hold one value";
        } else {
            rule = "the body is not valid JSON";
        }
        return e.getLocation() == null ? rule
                : rule + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
