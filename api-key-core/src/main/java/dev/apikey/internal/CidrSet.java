package dev.apikey.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IPv4 and IPv6 address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a
 * single address). Parses IP literals only: never a host name, never DNS.
 *
 * <p>Not API. Immutable and thread-safe.
 */
public final class CidrSet {

    private final List<Range> ranges;

    private record Range(byte[] network, int prefixBits) {
        /** An IPv4 address as 32 bits against an IPv4 range; {@code false} for an IPv6 range. */
        boolean containsIpv4(int address) {
            if (network.length != 4) {
                return false;
            }
            int net = (network[0] & 0xff) << 24 | (network[1] & 0xff) << 16 | (network[2] & 0xff) << 8
                    | (network[3] & 0xff);
            int mask = prefixBits == 0 ? 0 : -1 << (32 - prefixBits);
            return (address & mask) == (net & mask);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private CidrSet(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Parses CIDR ranges.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IP literal with a valid prefix
     *                                  length, or whose address has bits set beyond the prefix
     */
    public static CidrSet parse(List<String> cidrs) {
        List<Range> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            ranges.add(range(cidr));
        }
        return new CidrSet(List.copyOf(ranges));
    }

    /**
     * Checks one CIDR entry.
     *
     * @return the reason it is refused, or {@code null}
     */
    public static String problem(String cidr) {
        try {
            range(cidr);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Range range(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("an allowed range must not be null");
        }
        int slash = cidr.indexOf('/');
        String host = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] address = literal(host);
        if (address == null) {
            throw new IllegalArgumentException("allowed range must be an IPv4 or IPv6 address with an optional /prefix");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = cidr.substring(slash + 1);
            if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("allowed range prefix must be 0 to " + bits);
            }
            prefix = Integer.parseInt(digits);
        }
        Range range = new Range(address, prefix);
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
        }
        if (!java.util.Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("allowed range has address bits set beyond its /" + prefix
                    + " prefix");
        }
        return range;
    }

    /**
     * The network a caller's address belongs to, as a map key for per-source counts: IPv6 by its /64 (one host
     * holds them all), IPv4 by its first {@code ipv4Octets} octets ({@code a.b.c} for a /24, the address for 4).
     *
     * @param address    the caller's address as the host gave it, or {@code null}
     * @param ipv4Octets 1 to 4
     * @return the key, or {@code null} if the address is not an IP literal
     */
    static String network(String address, int ipv4Octets) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 16) {
            return "v6:" + Long.toHexString(java.nio.ByteBuffer.wrap(bytes, 0, 8).getLong());
        }
        StringBuilder key = new StringBuilder(15);
        for (int i = 0; i < ipv4Octets; i++) {
            key.append(i == 0 ? "" : ".").append(bytes[i] & 0xff);
        }
        return key.toString();
    }

    /**
     * The bytes of an IP literal (4 or 16), or {@code null} if the text is not one. Never resolves names: IPv4 is
     * read here (four decimal octets, 0 to 255, no leading zeros, which some parsers read as octal), IPv6 by
     * {@link InetAddress} only inside brackets, where it accepts a literal or nothing.
     */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (c == ':') {
                colon = true;
            } else if (!hex && c != '.') {
                return null;
            }
        }
        if (!colon) {
            return ipv4(text);
        }
        try {
            return InetAddress.getByName("[" + text + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Four dotted decimal octets, or {@code null}. */
    private static byte[] ipv4(String text) {
        long bits = ipv4Bits(text);
        if (bits < 0) {
            return null;
        }
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    /** Four dotted decimal octets as the low 32 bits, or -1: the check of an IPv4 caller allocates nothing. */
    private static long ipv4Bits(String text) {
        long bits = 0;
        int octet = 0;
        int at = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != '.') {
                continue;
            }
            int digits = i - at;
            if (octet == 4 || digits < 1 || digits > 3 || (digits > 1 && text.charAt(at) == '0')) {
                return -1;
            }
            int value = 0;
            for (int j = at; j < i; j++) {
                char c = text.charAt(j);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return -1;
            }
            bits = bits << 8 | value;
            octet++;
            at = i + 1;
        }
        return octet == 4 ? bits : -1;
    }

    /** {@return whether {@code text} is an IPv4 or IPv6 literal, without a prefix}; never DNS. */
    public static boolean isAddress(String text) {
        return text != null && literal(text) != null;
    }

    /** Whether {@code address} (an IP literal) lies in one of the ranges; {@code false} if it is not a literal. */
    public boolean contains(String address) {
        if (address != null && address.indexOf(':') < 0 && !address.isEmpty() && address.length() <= 15) {
            long bits = ipv4Bits(address);
            if (bits < 0) {
                return false;
            }
            for (int i = 0, n = ranges.size(); i < n; i++) {
                if (ranges.get(i).containsIpv4((int) bits)) {
                    return true;
                }
            }
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
