package dev.apikey.servlet;

import dev.apikey.model.AddressRanges;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The one definition of a request's client address, for the address allow lists ({@code ip_not_allowed}), the
 * country resolvers and the audit events: the connection's address ({@code getRemoteAddr()}), or, when that
 * connection comes from a configured trusted proxy, the address that proxy forwards in the one header it is
 * configured to write ({@code X-Forwarded-For} or {@code Forwarded}), read from the right: each hop that is itself
 * a trusted proxy is stepped over, and the first that is not is the client. A forged header from an untrusted peer
 * is never read; an entry a trusted proxy appended cannot be forged by the client, who controls only the entries
 * to its left. The {@code Host} header is never read.
 *
 * <p>Only the configured header is read: were both read, a client could add the one the proxy does not write. An
 * entry that is not an IP literal ({@code unknown}, an obfuscated {@code _hidden}) makes the client address
 * unknown ({@code null}: refused by a key with an allow list). At most {@value #MAX_HOPS} hops are read.
 *
 * <p>Immutable and thread-safe. {@link #direct()} reads no header at all: the cost of a request is what it was.
 */
public final class ClientAddress {

    /** The most forwarded hops read, from the right; a longer chain is read as far as this. */
    public static final int MAX_HOPS = 16;
    /** The longest header value read; a longer one makes the client address unknown. */
    static final int MAX_HEADER_LENGTH = 4096;

    /** The header a trusted proxy writes the client's address in. */
    public enum Header {
        /** {@code X-Forwarded-For: client, proxy1, proxy2} (nginx, AWS ALB, most load balancers). */
        X_FORWARDED_FOR("X-Forwarded-For"),
        /** RFC 7239 {@code Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"}. */
        FORWARDED("Forwarded");

        private final String headerName;

        Header(String headerName) {
            this.headerName = headerName;
        }

        /** {@return the header's name, e.g. {@code X-Forwarded-For}} */
        public String headerName() {
            return headerName;
        }

        /**
         * {@return the header of this name, in any case}
         *
         * @param name {@code X-Forwarded-For} or {@code Forwarded}
         * @throws IllegalArgumentException naming the two there are
         */
        public static Header named(String name) {
            for (Header h : values()) {
                if (h.headerName.equalsIgnoreCase(Objects.requireNonNull(name, "forwardedHeader").strip())
                        || h.name().equalsIgnoreCase(name.strip().replace('-', '_'))) {
                    return h;
                }
            }
            throw new IllegalArgumentException("forwardedHeader must be X-Forwarded-For or Forwarded");
        }
    }

    private static final ClientAddress DIRECT = new ClientAddress(AddressRanges.of("trustedProxies", List.of()),
            Header.X_FORWARDED_FOR);

    private final AddressRanges proxies;
    private final Header header;

    private ClientAddress(AddressRanges proxies, Header header) {
        this.proxies = proxies;
        this.header = header;
    }

    /** {@return the connection's address, always: no proxy is trusted, no header read (the default)} */
    public static ClientAddress direct() {
        return DIRECT;
    }

    /**
     * {@return the address forwarded by these trusted proxies in {@code X-Forwarded-For}}
     *
     * @param trustedProxies the proxies' addresses or ranges ({@code 10.0.0.0/8}); empty is {@link #direct()}
     * @throws IllegalArgumentException naming {@code trustedProxies} if an entry is not an IP literal or range
     */
    public static ClientAddress behindProxies(Collection<String> trustedProxies) {
        return behindProxies(trustedProxies, Header.X_FORWARDED_FOR);
    }

    /**
     * {@return the address forwarded by these trusted proxies in the header they write}
     *
     * @param trustedProxies the proxies' addresses or ranges; empty is {@link #direct()}
     * @param header         the one header they write the client's address in
     * @throws IllegalArgumentException naming {@code trustedProxies} if an entry is not an IP literal or range
     */
    public static ClientAddress behindProxies(Collection<String> trustedProxies, Header header) {
        return new ClientAddress(AddressRanges.of("trustedProxies", trustedProxies),
                Objects.requireNonNull(header, "header"));
    }

    /** {@return the trusted proxies; empty for {@link #direct()}} */
    public AddressRanges trustedProxies() {
        return proxies;
    }

    /** {@return the header read from trusted proxies} */
    public Header header() {
        return header;
    }

    /**
     * {@return whether the request's connection comes from a trusted proxy}: only then may a header it carries
     * (a forwarded address, a CDN's country) be believed
     *
     * @param request the request
     */
    public boolean fromTrustedProxy(HttpServletRequest request) {
        return fromTrustedProxy(request.getRemoteAddr());
    }

    /**
     * {@return whether a connection from this peer address comes from a trusted proxy}, for adapters without a
     * servlet request (the starter's WebFlux path)
     *
     * @param peerAddress the connection's address, or {@code null} if unknown
     */
    public boolean fromTrustedProxy(String peerAddress) {
        return !proxies.isEmpty() && peerAddress != null && proxies.contains(peerAddress);
    }

    /**
     * {@return the client's address: the connection's, or the one trusted proxies forward; {@code null} if a
     * trusted proxy forwarded something that is not an IP literal}
     *
     * @param request the request
     */
    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (proxies.isEmpty() || !proxies.contains(peer)) {
            return peer;
        }
        Enumeration<String> lines = request.getHeaders(header.headerName());
        return forwarded(peer, lines == null ? null : lines.asIterator());
    }

    /**
     * {@return the client's address by the same rule as {@link #of(HttpServletRequest)}, for adapters without a
     * servlet request (the starter's WebFlux path): the peer's, or the one trusted proxies forward in
     * {@link #header()}; {@code null} if the peer is unknown or a trusted proxy forwarded something that is not an IP
     * literal}
     *
     * @param peerAddress the connection's address, or {@code null} if unknown
     * @param headerLines the lines of a header by name (asked only for {@link #header()}, and only when the peer is
     *                    a trusted proxy); {@code null} or empty when absent
     */
    public String of(String peerAddress, java.util.function.Function<String, ? extends Iterable<String>> headerLines) {
        if (peerAddress == null || proxies.isEmpty() || !proxies.contains(peerAddress)) {
            return peerAddress;
        }
        Iterable<String> lines = headerLines.apply(header.headerName());
        return forwarded(peerAddress, lines == null ? null : lines.iterator());
    }

    /** The client behind a trusted peer, from the forwarded header's lines. */
    private String forwarded(String peer, java.util.Iterator<String> lines) {
        List<String> hops = hops(lines);
        if (hops == null) {
            return null;
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0 && hops.size() - i <= MAX_HOPS; i--) {
            if (!proxies.contains(client)) {
                return client;
            }
            String hop = header == Header.FORWARDED ? forwardedFor(hops.get(i)) : bare(hops.get(i));
            if (hop == null) {
                return null;
            }
            client = hop;
        }
        return client;
    }

    /** The header's entries, left to right, over all its lines; {@code null} if too long to read. */
    private static List<String> hops(java.util.Iterator<String> lines) {
        List<String> hops = new ArrayList<>();
        int length = 0;
        while (lines != null && lines.hasNext()) {
            String line = lines.next();
            length += line.length();
            if (length > MAX_HEADER_LENGTH) {
                return null;
            }
            for (String entry : line.split(",", -1)) {
                hops.add(entry.strip());
            }
        }
        return hops;
    }

    /** The {@code for=} node of one {@code Forwarded} element, as an address; {@code null} if none or not one. */
    private static String forwardedFor(String element) {
        for (String pair : element.split(";", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                String value = pair.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return bare(value);
            }
        }
        return null;
    }

    /**
     * An address without the port or brackets a proxy may add ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711});
     * {@code null} unless what is left is an IP literal.
     */
    static String bare(String node) {
        String text = node.strip();
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            text = close < 0 ? "" : text.substring(1, close);
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            text = text.substring(0, text.indexOf(':'));
        }
        return AddressRanges.isAddress(text) ? text : null;
    }

    @Override
    public String toString() {
        return proxies.isEmpty() ? "ClientAddress[direct]"
                : "ClientAddress[" + header.headerName() + " from " + proxies.ranges() + "]";
    }
}
