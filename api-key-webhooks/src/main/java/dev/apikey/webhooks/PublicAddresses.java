package dev.apikey.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses a tenant's webhook may be delivered to: public unicast only. Refused: IPv4 this-network (0/8),
 * private (10/8, 172.16/12, 192.168/16), shared (100.64/10), loopback (127/8), link-local (169.254/16, the cloud
 * metadata address among them), IETF protocol assignments (192.0.0/24), documentation (192.0.2/24, 198.51.100/24,
 * 203.0.113/24), benchmarking (198.18/15), multicast (224/4) and reserved (240/4, broadcast); IPv6 anything outside
 * global unicast 2000::/3 (loopback ::1, unspecified ::, unique local fc00::/7, link-local fe80::/10, multicast
 * ff00::/8, IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96), and inside it documentation 2001:db8::/32, Teredo
 * 2001::/32 and 6to4 2002::/16 (they tunnel to an IPv4 address this check would have to trust).
 *
 * <p>Package-private; {@link TenantWebhooks} and {@link WebhookChannel} check every address a name resolves to.
 */
final class PublicAddresses {

    private PublicAddresses() {
    }

    /**
     * {@return why the address is not public, e.g. {@code "a private address"}, or {@code null} if it is}
     *
     * @param address the address
     */
    static String whyNot(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return whyNot4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
        }
        if (address instanceof Inet6Address) {
            return whyNot6(b);
        }
        return "an address of an unknown family";
    }

    private static String whyNot4(int a, int b, int c) {
        if (a == 127) {
            return "a loopback address";
        }
        if (a == 10 || a == 172 && b >= 16 && b <= 31 || a == 192 && b == 168) {
            return "a private address";
        }
        if (a == 169 && b == 254) {
            return "a link-local address";
        }
        if (a >= 224 && a <= 239) {
            return "a multicast address";
        }
        if (a == 0) {
            return "an unspecified address";
        }
        if (a == 100 && b >= 64 && b <= 127 || a == 192 && b == 0 && c == 0 || a == 198 && (b == 18 || b == 19)
                || a == 192 && b == 0 && c == 2 || a == 198 && b == 51 && c == 100 || a == 203 && b == 0 && c == 113
                || a >= 240) {
            return "a reserved address";
        }
        return null;
    }

    private static String whyNot6(byte[] b) {
        int first = b[0] & 0xff;
        boolean zeroTo10 = true;
        for (int i = 0; i < 10; i++) {
            zeroTo10 &= b[i] == 0;
        }
        if (zeroTo10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return "an IPv4-mapped address";
        }
        boolean allZero = zeroTo10 && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0;
        if (allZero && b[15] == 1) {
            return "a loopback address";
        }
        if (allZero && b[15] == 0) {
            return "an unspecified address";
        }
        if ((first & 0xfe) == 0xfc) {
            return "a private address";
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return "a link-local address";
        }
        if (first == 0xff) {
            return "a multicast address";
        }
        if ((first & 0xe0) != 0x20) {
            return "a reserved address";
        }
        int second = b[1] & 0xff;
        if (first == 0x20 && second == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8
                || first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0 || first == 0x20 && second == 0x02) {
            return "a reserved address";
        }
        return null;
    }
}
