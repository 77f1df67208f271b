package dev.apikey.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Resolves a host name to its addresses, for the checks that a tenant's webhook goes only to public addresses. The
 * default is the JVM's resolver; a host replaces it to resolve through its own DNS (and tests, to name addresses
 * without a DNS server).
 */
@FunctionalInterface
public interface HostResolver {

    /** The JVM's resolver, {@link InetAddress#getAllByName}; an IP literal resolves to itself. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /**
     * {@return every address of the host}
     *
     * @param host a name or an IP literal (IPv6 without brackets)
     * @throws UnknownHostException if it has none
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
