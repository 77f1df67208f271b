package dev.apikey.grpc;

import dev.apikey.model.KeyHeaderFault;
import io.grpc.Metadata;
import java.util.Iterator;

/**
 * The one key of a call's metadata, screened by the rules of the servlet filter's {@code Screening}: {@code x-api-key}
 * with the bare key or {@code authorization: Bearer <key>}, each at most once, the same key if both are sent. A
 * refusal's detail names the rule broken and nothing of the values sent.
 */
final class KeyMetadata {

    static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    static final KeyMetadata NONE = new KeyMetadata(null, null);
    static final KeyMetadata X_API_KEY_TWICE = refused("The x-api-key metadata appears more than once; send it once.");
    static final KeyMetadata AUTHORIZATION_TWICE = refused("The authorization metadata appears more than once; send "
            + "it once.");
    static final KeyMetadata X_API_KEY_WITH_BEARER = refused("x-api-key takes the key alone, without 'Bearer'.");
    static final KeyMetadata AUTHORIZATION_NOT_BEARER = refused("The authorization metadata must be 'Bearer <key>'.");
    static final KeyMetadata TWO_KEYS = refused("The call carries both x-api-key and authorization with different "
            + "values; send the key in one of them.");

    /** The value to verify (the bare key or {@code Bearer <key>}); {@code null} when refused or absent. */
    private final String header;
    /** The detail of a {@code malformed_request}; {@code null} unless refused. */
    private final String refusal;

    private KeyMetadata(String header, String refusal) {
        this.header = header;
        this.refusal = refusal;
    }

    private static KeyMetadata refused(String detail) {
        return new KeyMetadata(null, detail);
    }

    /** Screens the metadata: the filter's rules ({@link KeyHeaderFault}), said in the words of metadata. */
    static KeyMetadata of(Metadata headers) {
        Iterator<String> apiKeys = values(headers, X_API_KEY);
        String apiKey = apiKeys.hasNext() ? apiKeys.next() : null;
        Iterator<String> authorizations = values(headers, AUTHORIZATION);
        String authorization = authorizations.hasNext() ? authorizations.next() : null;
        KeyHeaderFault fault = KeyHeaderFault.of(apiKey, apiKeys.hasNext(), authorization, authorizations.hasNext());
        if (fault != null) {
            return switch (fault) {
                case X_API_KEY_TWICE -> X_API_KEY_TWICE;
                case AUTHORIZATION_TWICE -> AUTHORIZATION_TWICE;
                case X_API_KEY_WITH_BEARER -> X_API_KEY_WITH_BEARER;
                case AUTHORIZATION_NOT_BEARER -> AUTHORIZATION_NOT_BEARER;
                case TWO_KEYS -> TWO_KEYS;
            };
        }
        if (apiKey != null) {
            return new KeyMetadata(apiKey, null);
        }
        return authorization == null ? NONE : new KeyMetadata(authorization, null);
    }

    private static Iterator<String> values(Metadata headers, Metadata.Key<String> key) {
        Iterable<String> all = headers.getAll(key);
        return all == null ? java.util.Collections.emptyIterator() : all.iterator();
    }

    /** {@return the value to verify, {@code null} for none (then {@code missing_api_key}); only if not refused} */
    String header() {
        return header;
    }

    /** {@return the detail of the {@code malformed_request} refusal, or {@code null} if the metadata is usable} */
    String refusal() {
        return refusal;
    }

    /** Leaves out the key, which holds a secret. */
    @Override
    public String toString() {
        return refusal != null ? "KeyMetadata[refused]" : header == null ? "KeyMetadata[none]" : "KeyMetadata[key]";
    }
}
