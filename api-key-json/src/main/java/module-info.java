/**
 * api-key JSON: {@code dev.apikey.json.KeyJson}, the one codec of a key and of its attributes, and the limits every
 * JSON body we read is parsed under.
 */
module dev.apikey.json {
    requires transitive dev.apikey.core;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.apikey.json;
}
