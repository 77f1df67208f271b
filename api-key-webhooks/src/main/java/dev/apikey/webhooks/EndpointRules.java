package dev.apikey.webhooks;

import dev.apikey.model.WebhookEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The rules of a tenant's webhook URL: an absolute {@code https} URL of at most {@value WebhookEndpoint#MAX_URL_LENGTH}
 * characters, with a host, without user info or fragment, whose host resolves only to public addresses
 * ({@link PublicAddresses}). Checked when a tenant registers the URL and again before every delivery, since what a
 * name resolves to can change (DNS rebinding).
 *
 * <p>Package-private.
 */
final class EndpointRules {

    private final HostResolver resolver;

    EndpointRules(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The URL's form alone, without resolving it.
     *
     * @return the parsed URL
     * @throws WebhookUrlException naming the rule broken
     */
    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new WebhookUrlException("url is required: an https URL");
        }
        if (url.length() > WebhookEndpoint.MAX_URL_LENGTH) {
            throw new WebhookUrlException("url must be at most " + WebhookEndpoint.MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new WebhookUrlException("url must be an absolute https URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new WebhookUrlException("url must use https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new WebhookUrlException("url must name a host, without user info or fragment");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new WebhookUrlException("url's port must be 1 to 65535");
        }
        return uri;
    }

    /**
     * The whole rule: form, and every address the host resolves to public.
     *
     * @return the parsed URL
     * @throws WebhookUrlException  naming the rule broken and the kind of address refused
     * @throws UnknownHostException if the host does not resolve (now)
     */
    URI check(String url) throws UnknownHostException {
        URI uri = parse(url);
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // An IP literal is its own address: parsed, never looked up (getByName does no lookup for one).
        boolean literal = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
        InetAddress[] addresses = literal ? new InetAddress[] {InetAddress.getByName(host)} : resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            String why = PublicAddresses.whyNot(address);
            if (why != null) {
                // A literal's kind is what the tenant wrote. A name's answer is the one for a name that does not
                // resolve (notPublic): no answer may map the host's internal DNS for a tenant.
                throw new WebhookUrlException(literal ? "url must resolve only to public addresses: " + host + " is "
                        + why : notPublic(host));
            }
        }
        return uri;
    }

    /**
     * {@return the one refusal of a host name that has no address or one that is not public}: the same words for
     * both, so that a tenant cannot tell which internal names exist
     */
    static String notPublic(String host) {
        return "url must resolve only to public addresses: " + host + " has no address, or one that is not public";
    }
}
