package dev.apikey.internal;

/**
 * The source network of a caller's address as one bit of a 64-bit sketch, read from the text without allocating: an
 * IPv4 address by its /24, an IPv6 address by its /48 (an IPv4-mapped one as IPv4). ORing the bits of many requests
 * gives a sketch of how many distinct networks they came from ({@link #estimate}, linear counting), mergeable across
 * instances and time with OR, and keeping no address.
 *
 * <p>Thread-safe (stateless). Not API.
 */
public final class NetworkBits {

    private NetworkBits() {
    }

    /**
     * The bit of an address's network.
     *
     * @param address an IPv4 or IPv6 literal (brackets and a zone allowed), or {@code null}
     * @return one set bit, or 0 if the text is not an address this reads
     */
    public static long bit(String address) {
        long network = network(address);
        return network < 0 ? 0 : 1L << index(network);
    }

    /**
     * An address's network as a number: an IPv4 /24 as its 24 bits, an IPv6 /48 as its 48 bits with bit 48 set.
     *
     * @param address an IPv4 or IPv6 literal (brackets and a zone allowed), or {@code null}
     * @return the network, below 2<sup>49</sup>; or -1 if the text is not an address this reads
     */
    public static long network(String address) {
        if (address == null) {
            return -1;
        }
        int n = address.length();
        if (n == 0 || n > 64) {
            return -1;
        }
        // Dotted IPv4 first, what most callers have: an IPv6 literal fails it within its first five characters.
        long network = ipv4Network(address, 0, n);
        if (network < 0 && address.indexOf(':') >= 0) {
            network = ipv6Network(address, n);
        }
        return network;
    }

    /**
     * Which of the sketch's 64 bits a network sets.
     *
     * @param network a network from {@link #network}, not -1
     * @return 0 to 63
     */
    public static int index(long network) {
        return (int) (mix(network) >>> 58);
    }

    /**
     * The estimated number of distinct networks in a sketch: exact while few bits collide, within about 15 % up
     * to a hundred networks, 266 at most.
     *
     * @param sketch ORed bits
     * @return the estimate
     */
    public static int estimate(long sketch) {
        int set = Long.bitCount(sketch);
        if (set == 0) {
            return 0;
        }
        int zeros = 64 - set;
        if (zeros == 0) {
            return 266;
        }
        return (int) Math.round(-64 * Math.log(zeros / 64.0));
    }

    /** The first three octets as 24 bits, or -1: one pass, one branch a digit. */
    private static long ipv4Network(String s, int from, int to) {
        int network = 0;
        int value = 0;
        int digits = 0;
        int dots = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d >= 0 && d <= 9) {
                value = value * 10 + d;
                digits++;
            } else if (d == '.' - '0' && octet(value, digits) && dots < 3) {
                network = network << 8 | value;
                dots++;
                value = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        return dots == 3 && octet(value, digits) ? network : -1;
    }

    private static boolean octet(int value, int digits) {
        return digits > 0 && digits <= 3 && value <= 255;
    }

    /** The first three 16-bit groups as 48 bits (an IPv4-mapped address by its /24), or -1. */
    private static long ipv6Network(String s, int n) {
        int from = 0;
        int to = n;
        if (s.charAt(0) == '[') {
            from = 1;
            int close = s.indexOf(']');
            to = close < 0 ? n : close;
        }
        int zone = s.indexOf('%', from);
        if (zone >= 0 && zone < to) {
            to = zone;
        }
        int dot = s.indexOf('.', from);
        if (dot >= 0 && dot < to) {
            int lastColon = s.lastIndexOf(':', dot);
            long v4 = ipv4Network(s, lastColon + 1, to);
            return v4;
        }
        // Groups before "::" (head), and how many after it (tail): a tail group's position is 8 - tail + i.
        int gap = s.indexOf("::", from);
        if (gap >= to) {
            gap = -1;
        }
        long network = 0;
        int position = 0;
        int headEnd = gap < 0 ? to : gap;
        int groupStart = from;
        for (int i = from; i <= headEnd; i++) {
            if (i == headEnd || s.charAt(i) == ':') {
                long g = group(s, groupStart, i);
                if (g < 0 && !(gap == from && i == from)) {
                    return -1;
                }
                if (g >= 0) {
                    if (position < 3) {
                        network = network << 16 | g;
                    }
                    position++;
                }
                groupStart = i + 1;
            }
        }
        if (gap < 0) {
            return position == 8 ? 1L << 48 | network : -1;
        }
        int tail = 0;
        int tailStart = gap + 2;
        if (tailStart < to) {
            for (int i = tailStart; i <= to; i++) {
                if (i == to || s.charAt(i) == ':') {
                    if (group(s, tailStart, i) < 0) {
                        return -1;
                    }
                    tail++;
                    tailStart = i + 1;
                }
            }
        }
        if (position + tail > 7) {
            return -1;
        }
        // Zeros for the groups "::" stands for; tail groups among the first three are rare (1::2:3:4:5:6:7).
        int first = 8 - tail;
        while (position < 3 && position < first) {
            network <<= 16;
            position++;
        }
        tailStart = gap + 2;
        for (int i = tailStart; i <= to && position < 3; i++) {
            if (i == to || s.charAt(i) == ':') {
                network = network << 16 | group(s, tailStart, i);
                position++;
                tailStart = i + 1;
            }
        }
        return 1L << 48 | network;
    }

    /** One group of 1 to 4 hex digits, or -1. */
    private static long group(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 4) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** A full 64-bit mix (MurmurHash3's finaliser): linear counting needs bits that look random, not evenly spread. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
