package dev.apikey.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origins the admin API and console are served at, as the host configured them ({@code AdminApi.Builder.origins},
 * {@code new AdminConsole(path, origins)}): a request whose {@code Host} header names none of them is refused with 421
 * {@code host_not_allowed}, and a change whose {@code Origin} is none of them with 403 {@code cross_origin}. With none
 * configured the own origin is the request's scheme, {@code Host} name and port, as the container reports them:
 * right behind a proxy that passes {@code Host} on, and no defence against DNS rebinding. Immutable.
 */
final class Origins {

    /** None configured: the request's own origin. */
    static final Origins FROM_REQUEST = new Origins(List.of());

    private static final Pattern ORIGIN = Pattern.compile(
            "(https?)://([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?|\\[[0-9a-f:.]{2,45}\\])(:([0-9]{1,5}))?");
    private static final Pattern HOST = Pattern.compile(
            "([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?|\\[[0-9a-f:.]{2,45}\\])(:([0-9]{1,5}))?");

    private record Origin(String scheme, String host, int port) {
        String text() {
            return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
        }
    }

    private final List<Origin> origins;

    private Origins(List<Origin> origins) {
        this.origins = List.copyOf(origins);
    }

    /**
     * The origins, each {@code http} or {@code https}, a host name or bracketed IPv6 address, and optionally a port.
     *
     * @throws IllegalArgumentException naming the first that breaks the rule, or if there are none
     */
    static Origins of(Collection<String> texts) {
        Objects.requireNonNull(texts, "origins");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("origins must name at least one origin");
        }
        List<Origin> parsed = new ArrayList<>();
        for (String text : texts) {
            Objects.requireNonNull(text, "origins holds null");
            Origin o = parse(text.toLowerCase(Locale.ROOT));
            if (o == null) {
                throw new IllegalArgumentException("origins must each be scheme://host[:port] with scheme http or "
                        + "https, a port of 1 to 65535 and no path, was '" + (text.length() > 80 ? text.substring(0, 80)
                        + "..." : text) + "'");
            }
            parsed.add(o);
        }
        return new Origins(parsed);
    }

    private static Origin parse(String text) {
        Matcher m = ORIGIN.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int port = m.group(5) == null ? defaultPort(m.group(1)) : Integer.parseInt(m.group(5));
        return port < 1 || port > 65_535 ? null : new Origin(m.group(1), m.group(2), port);
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** {@return whether the host configured origins} */
    boolean configured() {
        return !origins.isEmpty();
    }

    /**
     * Refuses a request whose {@code Host} header names no configured origin (without port: one on its scheme's
     * default port), when origins are configured.
     *
     * @throws AdminProblem 421 {@code host_not_allowed}
     */
    void requireHost(HttpServletRequest req) {
        if (configured() && !allowsHost(req.getHeader("Host"))) {
            throw new AdminProblem(421, "host_not_allowed", "Host not allowed",
                    "the Host header must name one of the origins this server is configured for");
        }
    }

    private boolean allowsHost(String header) {
        if (header == null) {
            return false;
        }
        Matcher m = HOST.matcher(header.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return false;
        }
        String host = m.group(1);
        Integer port = m.group(4) == null ? null : Integer.valueOf(m.group(4));
        return origins.stream().anyMatch(o -> o.host().equals(host)
                && (port == null ? o.port() == defaultPort(o.scheme()) : o.port() == port));
    }

    /** {@return whether an {@code Origin} header names this API's own origin: a configured one, else the request's} */
    boolean isOwn(String origin, HttpServletRequest req) {
        if (!configured()) {
            return origin.equals(fromRequest(req));
        }
        Origin o = parse(origin.strip().toLowerCase(Locale.ROOT));
        return o != null && origins.contains(o);
    }

    private static String fromRequest(HttpServletRequest req) {
        String scheme = req.getScheme();
        int port = req.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + req.getServerName() + (defaultPort ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return origins.isEmpty() ? "Origins[from request]"
                : "Origins" + origins.stream().map(Origin::text).toList();
    }
}
