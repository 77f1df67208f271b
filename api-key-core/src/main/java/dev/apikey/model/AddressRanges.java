package dev.apikey.model;

import dev.apikey.internal.CidrSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * IPv4 and IPv6 address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or single addresses),
 * with the rule a key's allowed addresses follow: IP literals only, never a host name, never DNS. For hosts and
 * adapters that match addresses as the core does, such as a list of trusted proxies.
 *
 * <p>Immutable and thread-safe.
 */
public final class AddressRanges {

    private final List<String> ranges;
    private final CidrSet set;

    private AddressRanges(List<String> ranges) {
        this.ranges = ranges;
        this.set = CidrSet.parse(ranges);
    }

    /**
     * Parses ranges, naming the field in a refusal.
     *
     * @param field  the name of the setting they come from, e.g. {@code trustedProxies}
     * @param ranges the ranges
     * @return the ranges
     * @throws IllegalArgumentException naming the field and the rule, if an entry is not an IP literal with a valid
     *                                  prefix
     * @throws NullPointerException     if ranges or one of them is null
     */
    public static AddressRanges of(String field, Collection<String> ranges) {
        Objects.requireNonNull(field, "field");
        for (String range : List.copyOf(Objects.requireNonNull(ranges, field))) {
            String problem = CidrSet.problem(range.strip());
            if (problem != null) {
                throw new IllegalArgumentException(field + ": " + problem.replace("allowed range", "each range"));
            }
        }
        return new AddressRanges(ranges.stream().map(String::strip).toList());
    }

    /**
     * {@return whether the address lies in one of the ranges}; {@code false} for {@code null} or anything that is
     * not an IP literal
     *
     * @param address an IP literal, e.g. {@code getRemoteAddr()}
     */
    public boolean contains(String address) {
        return address != null && set.contains(address);
    }

    /** {@return whether there are no ranges: {@link #contains} is always false} */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** {@return the ranges, as given; unmodifiable} */
    public List<String> ranges() {
        return ranges;
    }

    /**
     * {@return whether {@code text} is an IPv4 or IPv6 literal without a prefix}; never a host name, never DNS
     *
     * @param text the text, or {@code null}
     */
    public static boolean isAddress(String text) {
        return CidrSet.isAddress(text);
    }

    @Override
    public String toString() {
        return "AddressRanges" + ranges;
    }
}
