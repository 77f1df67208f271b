package dev.apikey.model;

import java.util.Locale;

/**
 * The canonical-path rule of every HTTP adapter (the servlet filter, the starter's WebFlux screening, the gateway),
 * after spring-security's StrictHttpFirewall: a request whose raw URI could be read as another path by some layer is
 * refused before any route is matched ({@code non_canonical_path}), so that every adapter refuses exactly the same
 * paths.
 */
public final class RequestPaths {

    private static final String[] FORBIDDEN_RAW = {";", "//", "\\", "%2f", "%5c", "%2e", "%25", "%3b", "%00",
        "/./", "/../"};

    private RequestPaths() {
    }

    /**
     * {@return whether a request's path is canonical: no encoded separator, dot segment, doubled slash, escape left
     * after decoding or character outside printable ASCII, in the raw URI or the decoded path}
     *
     * @param rawUri      the request URI as sent (not decoded)
     * @param decodedPath the container's decoded path within the application
     */
    public static boolean isCanonical(String rawUri, String decodedPath) {
        if (rawUri == null || decodedPath == null || !decodedPath.startsWith("/")) {
            return false;
        }
        String raw = rawUri.toLowerCase(Locale.ROOT);
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
