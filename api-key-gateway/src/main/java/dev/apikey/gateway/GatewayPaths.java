package dev.apikey.gateway;

import java.util.Locale;

/**
 * The canonical-path rule of api-key-servlet's {@code ApiKeyFilter} (its package-private {@code RequestPaths}), for the
 * gateway: a request whose raw path could be read as another path by some layer (the gateway's predicates, the
 * upstream's container) is refused before it is routed anywhere, so that no spelling of a path reaches an upstream
 * path its route was not meant for. Written again here because the servlet module's rule is not API; the gateway's
 * tests compare both filters' answers on the same paths.
 */
final class GatewayPaths {

    private static final String[] FORBIDDEN_RAW = {";", "//", "\\", "%2f", "%5c", "%2e", "%25", "%3b", "%00",
        "/./", "/../"};

    private GatewayPaths() {
    }

    /**
     * @param rawPath     the request's path as sent (not decoded)
     * @param decodedPath the same path, decoded
     */
    static boolean isCanonical(String rawPath, String decodedPath) {
        if (rawPath == null || decodedPath == null || !decodedPath.startsWith("/")) {
            return false;
        }
        String raw = rawPath.toLowerCase(Locale.ROOT);
        for (String bad : FORBIDDEN_RAW) {
            if (raw.contains(bad)) {
                return false;
            }
        }
        if (raw.endsWith("/.") || raw.endsWith("/..")) {
            return false;
        }
        // A '%' left after decoding is either %25 (refused above) or no escape at all: a layer that decodes once
        // more would read another path, so neither passes.
        return printableAscii(raw) && printableAscii(decodedPath) && wellFormedEscapes(raw)
                && decodedPath.indexOf('%') < 0 && !decodedPath.contains("//")
                && !decodedPath.contains("/../") && !decodedPath.endsWith("/..") && !decodedPath.contains("/./");
    }

    /** Whether every '%' starts a two-hex-digit escape. */
    private static boolean wellFormedEscapes(String s) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                    || Character.digit(s.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
