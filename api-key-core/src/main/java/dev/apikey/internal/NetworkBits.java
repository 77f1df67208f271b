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

    /** Each ASCII character's value as a hex digit, or -1. */
    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

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
        if (network < 0 && n > 1) {
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

    /**
     * The first three 16-bit groups as 48 bits (an IPv4-mapped address by its /24), or -1: one pass over the text,
     * the groups before {@code "::"} kept as they come and the first three after it kept aside until the number of
     * groups it stands for is known. Hex digits are ASCII only ({@code Character.digit} would also take other
     * scripts' digits, which no address has).
     */
    private static long ipv6Network(String s, int n) {
        int from = s.charAt(0) == '[' ? 1 : 0;
        int i = from;
        long head = 0;
        int heads = 0;
        long tail0 = 0;
        long tail1 = 0;
        long tail2 = 0;
        int tails = 0;
        boolean gap = false;
        boolean afterGap = false;
        int groupStart = i;
        int value = 0;
        int digits = 0;
        while (true) {
            int c = i < n ? s.charAt(i) : -1;
            int h = c >= 0 && c < HEX.length ? HEX[c] : -1;
            if (h >= 0) {
                if (++digits > 4) {
                    return -1;
                }
                value = value << 4 | h;
                i++;
                continue;
            }
            if (c == '.') {
                // A dotted IPv4 tail (::ffff:192.0.2.9): the address is read by it.
                return groupStart == from ? -1 : ipv4Network(s, groupStart, end(s, i, n));
            }
            boolean last = c < 0 || c == '%' || c == ']' && from == 1;
            if (digits == 0) {
                // An empty group only where "::" opens the address or closes it.
                boolean leading = i == from && c == ':' && i + 1 < n && s.charAt(i + 1) == ':';
                if (!leading && !(afterGap && last)) {
                    return -1;
                }
            } else if (!gap) {
                if (heads < 3) {
                    head = head << 16 | value;
                }
                heads++;
            } else {
                if (tails == 0) {
                    tail0 = value;
                } else if (tails == 1) {
                    tail1 = value;
                } else if (tails == 2) {
                    tail2 = value;
                }
                tails++;
            }
            afterGap = false;
            if (last) {
                break;
            }
            if (c != ':') {
                return -1;
            }
            if (i + 1 < n && s.charAt(i + 1) == ':') {
                if (gap) {
                    return -1;
                }
                gap = true;
                afterGap = true;
                i += 2;
            } else {
                i++;
            }
            groupStart = i;
            value = 0;
            digits = 0;
        }
        if (!gap) {
            return heads == 8 ? 1L << 48 | head : -1;
        }
        if (heads + tails > 7) {
            return -1;
        }
        // Zeros for the groups "::" stands for, then the tail's groups that fall among the first three
        // (rare: 1::2:3:4:5:6:7).
        long network = head;
        int position = Math.min(heads, 3);
        int firstTail = 8 - tails;
        while (position < 3 && position < firstTail) {
            network <<= 16;
            position++;
        }
        for (int t = 0; position < 3; t++, position++) {
            network = network << 16 | (t == 0 ? tail0 : t == 1 ? tail1 : tail2);
        }
        return 1L << 48 | network;
    }

    /** Where an address's text ends: at a closing bracket or a zone, else at its end. */
    private static int end(String s, int from, int n) {
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == ']' || c == '%') {
                return i;
            }
        }
        return n;
    }

    /** A full 64-bit mix (MurmurHash3's finaliser): linear counting needs bits that look random, not evenly spread. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
