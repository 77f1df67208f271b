package dev.apikey.cli;

import dev.apikey.model.Allowance;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The one place the CLI names a key's attributes: the options of {@code create} ({@link Create}) and {@code edit}
 * ({@link Edit}), picocli mixins that apply what was given to a {@link KeySpec.Setters} (a new key's builder or an
 * update's), and which option a library message's Java field stands for ({@link #FIELDS}, used by
 * {@link Flags#translate}). An attribute added to {@link KeySpec} is added here only ({@link OptionValues} reads
 * values of a new form).
 */
final class AttributeOptions {

    /**
     * A field of the library's messages and the flag that sets it: the first whose head starts the message is
     * replaced, the rule after it kept word for word.
     */
    record Field(Pattern head, String replacement) {
    }

    static final List<Field> FIELDS = List.of(
            // Editing a replaced key's expiry: the library says why, the flag is what the user can change.
            field("expiresAt of key (\\S+) is", "--expires and --no-expiry cannot change key $1: its expiry is"),
            // The library's way out is Java (named(...)); the command line's is a name before the count.
            new Field(Pattern.compile(
                    "^allowances: two are named '([^']*)'; name one otherwise with named\\(\\.\\.\\.\\)$"),
                    "--allowance: two are named '$1'; name one otherwise, like burst=10/second"),
            field("expiresAt", "--expires"),
            field("rotateBy", "--rotate-by"),
            field("tenantId", "--tenant"),
            field("allowedAddresses", "--allow"),
            field("allowedCountries", "--country"),
            field("metadata", "--meta"),
            field("allowances", "--allowance"),
            field("allowance", "--allowance"),
            field("quota", "--quota"),
            field("requests", "--rate-limit requests"),
            field("period", "--rate-limit period"),
            field("overlap", "--overlap"),
            field("within", "--expiring"),
            field("scopes", "--scope"),
            field("keyId", "<key-id>"),
            field("prefix", "--prefix"),
            field("owner", "--owner"),
            field("environment", "--environment"),
            field("name", "--name"));

    private AttributeOptions() {
    }

    private static Field field(String head, String replacement) {
        return new Field(Pattern.compile("^" + head + "(?=[ :])"), replacement);
    }

    /** {@code apikey create}'s attribute options. */
    static final class Create {
        @Option(names = "--name", required = true, description = "Key name, e.g. zapier-prod.")
        String name;

        @Option(names = "--tenant", description = "Tenant id the key belongs to.")
        String tenant;

        @Option(names = "--scope", required = true, description = "A scope to grant; repeat for more.")
        List<String> scopes;

        @Option(names = "--expires", description = "Expiry: a date (2027-01-01, midnight UTC) or an instant.")
        String expires;

        @Option(names = "--quota", paramLabel = "<n/period>",
                description = "Calls allowed per UTC day or month, e.g. 10000/day; refused with quota_exceeded after.")
        String quota;

        @Option(names = "--rotate-by", paramLabel = "<date>",
                description = "When the key should be rotated: a date or an instant; warnings come before it.")
        String rotateBy;

        @Option(names = "--owner", description = "Who answers for the key (a team, an e-mail address): who gets "
                + "warnings.")
        String owner;

        @Option(names = "--environment", description = "The environment the key is for, e.g. prod.")
        String environment;

        @Option(names = "--meta", description = "Metadata key=value; repeat for more.")
        List<String> meta = List.of();

        @Option(names = "--allow", paramLabel = "<cidr>",
                description = "Address range the key may be used from (203.0.113.0/24, 2001:db8::/32); repeat "
                        + "for more.")
        List<String> allow = List.of();

        @Option(names = "--country", paramLabel = "<code>",
                description = "A country the key may be used from, ISO 3166-1 alpha-2 (DE, US); repeat for more. "
                        + "Refused with country_not_allowed elsewhere.")
        List<String> countries = List.of();

        @Option(names = "--rate-limit", paramLabel = "<n/period>",
                description = "The key's own rate limit: requests per s, min, h or d, e.g. 600/min.")
        String rateLimit;

        @Option(names = "--allowance", paramLabel = "<[name=]n/unit>", description = "An allowance of the key's own: "
                + "[name=]<n>/<second|minute|hour|day|month>, e.g. burst=10/second or 50000/day; repeat for more.")
        List<String> allowances = List.of();

        /** Sets every attribute given; a value that breaks its rule throws, naming its option. */
        void applyTo(KeySpec.Setters<?> b) {
            b.name(name).scopes(scopes);
            if (tenant != null) {
                b.tenantId(tenant);
            }
            if (expires != null) {
                b.expiresAt(OptionValues.parseExpiry("--expires", expires));
            }
            if (rotateBy != null) {
                b.rotateBy(OptionValues.parseExpiry("--rotate-by", rotateBy));
            }
            if (owner != null) {
                b.owner(owner);
            }
            if (quota != null) {
                b.quota(OptionValues.parseQuota(quota));
            }
            if (environment != null) {
                b.environment(environment);
            }
            for (String pair : meta) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--meta must be key=value, was '" + pair + "'");
                }
                b.metadata(pair.substring(0, eq), pair.substring(eq + 1));
            }
            if (!allow.isEmpty()) {
                b.allowedAddresses(allow);
            }
            if (!countries.isEmpty()) {
                b.allowedCountries(countries);
            }
            if (rateLimit != null) {
                b.rateLimit(OptionValues.parseRateLimit(rateLimit));
            }
            b.allowances(OptionValues.parseAllowances(allowances));
        }
    }

    /** {@code apikey edit}'s attribute options: what is given replaces the key's, the rest stays. */
    static final class Edit {
        @Option(names = "--name", description = "A new name.")
        String name;

        @Option(names = "--scope", description = "The scopes the key holds from now on; repeat for more.")
        List<String> scopes;

        @ArgGroup(exclusive = true)
        Expiry expiry;

        @ArgGroup(exclusive = true)
        Addresses addresses;

        @ArgGroup(exclusive = true)
        Countries countries;

        @ArgGroup(exclusive = true)
        Limit limit;

        @ArgGroup(exclusive = true)
        QuotaChange quotaChange;

        @ArgGroup(exclusive = true)
        Allowances allowanceList;

        /** A new expiry, or none. */
        static final class Expiry {
            @Option(names = "--expires", description = "A new expiry: a date (2027-01-01, midnight UTC) or an instant.")
            String expires;

            @Option(names = "--no-expiry", description = "The key no longer expires.")
            boolean never;
        }

        /** A new allow list, or anywhere. */
        static final class Addresses {
            @Option(names = "--allow", paramLabel = "<cidr>", description = "The address ranges the key may be used "
                    + "from from now on; repeat for more.")
            List<String> allow;

            @Option(names = "--allow-anywhere", description = "The key may be used from any address.")
            boolean anywhere;
        }

        /** A new country list, or anywhere. */
        static final class Countries {
            @Option(names = "--country", paramLabel = "<code>", description = "The countries the key may be used "
                    + "from from now on, ISO 3166-1 alpha-2; repeat for more.")
            List<String> countries;

            @Option(names = "--any-country", description = "The key may be used from any country.")
            boolean anywhere;
        }

        /** A new quota, or none. */
        static final class QuotaChange {
            @Option(names = "--quota", paramLabel = "<n/period>", description = "Calls per UTC day or month, e.g. "
                    + "10000/day; replaces the key's quotas, keeps its other allowances.")
            String quota;

            @Option(names = "--no-quota", description = "The key has no quota of its own; its other allowances "
                    + "stay.")
            boolean none;
        }

        /** A new own rate limit, or none. */
        static final class Limit {
            @Option(names = "--rate-limit", paramLabel = "<n/period>", description = "The key's own rate limit, e.g. "
                    + "600/min; replaces the key's rate limits, keeps its other allowances.")
            String rateLimit;

            @Option(names = "--no-rate-limit", description = "The key has no rate limit of its own (the default "
                    + "limit applies); its other allowances stay.")
            boolean none;
        }

        /** A new list of allowances, or none. */
        static final class Allowances {
            @Option(names = "--allowance", paramLabel = "<[name=]n/unit>", description = "The key's allowances from "
                    + "now on, e.g. burst=10/second or 50000/day; repeat for more.")
            List<String> allowances;

            @Option(names = "--no-allowances", description = "The key has no allowances of its own.")
            boolean none;
        }

        /** {@return whether no option was given} */
        boolean isEmpty() {
            return name == null && scopes == null && expiry == null && addresses == null && countries == null
                    && limit == null
                    && quotaChange == null && allowanceList == null;
        }

        /**
         * Sets every attribute given but the allowances, which it reads and checks; a value that breaks its rule
         * throws, naming its option. The allowances are set by the caller with the key's current ones at hand (the
         * store open): {@code --allowance} and {@code --no-allowances} replace the list, {@code --rate-limit},
         * {@code --quota} and their {@code --no-} forms the allowances of their kind, keeping the rest.
         *
         * @return the key's allowances after the edit from those it has now, or null when they stay
         */
        UnaryOperator<List<Allowance>> applyTo(KeySpec.Setters<?> b) {
            if (name != null) {
                b.name(name);
            }
            if (scopes != null) {
                b.scopes(scopes);
            }
            if (expiry != null) {
                if (expiry.never) {
                    b.neverExpires();
                } else {
                    b.expiresAt(OptionValues.parseExpiry("--expires", expiry.expires));
                }
            }
            if (addresses != null) {
                b.allowedAddresses(addresses.anywhere ? List.of() : addresses.allow);
            }
            if (countries != null) {
                b.allowedCountries(countries.anywhere ? List.of() : countries.countries);
            }
            if (limit == null && quotaChange == null && allowanceList == null) {
                return null;
            }
            RateLimit newLimit = limit == null || limit.none ? null : OptionValues.parseRateLimit(limit.rateLimit);
            Quota newQuota = quotaChange == null || quotaChange.none ? null : OptionValues.parseQuota(quotaChange.quota);
            List<Allowance> given = allowanceList == null || allowanceList.none ? List.of()
                    : OptionValues.parseAllowances(allowanceList.allowances);
            List<Allowance> added = new ArrayList<>(given);
            added.addAll(newLimit == null ? List.of() : List.of(newLimit));
            added.addAll(newQuota == null ? List.of() : List.of(newQuota));
            KeyUpdate.builder().allowances(added); // names unique, not too many: checked before the store is read
            return current -> {
                List<Allowance> next = new ArrayList<>();
                for (Allowance a : allowanceList != null ? List.<Allowance>of() : current) {
                    if (!(a instanceof RateLimit && limit != null) && !(a instanceof Quota && quotaChange != null)) {
                        next.add(a);
                    }
                }
                next.addAll(added);
                return next;
            };
        }
    }
}
