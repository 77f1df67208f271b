package dev.apikey.cli;

import dev.apikey.json.KeyJson;
import dev.apikey.model.Allowance;
import dev.apikey.model.Tenant;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code apikey tenant}: a tenant's own record, the allowances all its keys share and the countries they may be used
 * from ({@code show}, {@code limits}, {@code countries}).
 * A tenant without a record has none: {@code show} prints an empty list at version 0.
 */
@Command(name = "tenant", description = "Show or set the allowances a tenant's keys share and the countries they "
        + "may be used from.",
        subcommands = {TenantCommand.Show.class, TenantCommand.Limits.class, TenantCommand.Countries.class},
        footerHeading = "%nExamples:%n",
        footer = {"  apikey tenant show 92", "  apikey tenant limits 92 --quota 10000/month",
            "  apikey tenant countries 92 --country DE --country AT",
            "", KeyCommand.STORE_OPTIONS})
final class TenantCommand implements Callable<Integer> {

    @ParentCommand
    ApiKeyCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help, with examples, and exit.")
    boolean help;

    /** Without a subcommand: a bad argument that says which there are. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: show, limits or countries");
    }

    /** What both subcommands have: the tenant argument, checked before any database is opened, and the output. */
    abstract static class Sub {
        @ParentCommand
        TenantCommand group;

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help, with examples, and exit.")
        boolean help;

        @Parameters(paramLabel = "<tenant>", description = "The tenant id, e.g. 92.")
        String tenant;

        /** The record of this tenant with these allowances, checked; a refusal names the argument or option. */
        Tenant checked(List<Allowance> allowances) {
            try {
                return Tenant.of(tenant, allowances);
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                throw new IllegalArgumentException(m.startsWith("tenantId ")
                        ? "<tenant> " + m.substring("tenantId ".length()) : Flags.translate(m));
            }
        }

        /** Prints a tenant's record: its fields with {@code --json}, else aligned lines after the heading. */
        void print(String heading, String tenantId, List<Allowance> allowances, long version) {
            print(heading, tenantId, allowances, java.util.Set.of(), version);
        }

        /** Prints a tenant's record, or the empty one of a tenant without a record. */
        void print(String heading, String tenantId, Tenant t) {
            print(heading, tenantId, t == null ? List.of() : t.allowances(),
                    t == null ? java.util.Set.of() : t.allowedCountries(), t == null ? 0 : t.version());
        }

        /** Prints a tenant's record: its fields with {@code --json}, else aligned lines after the heading. */
        void print(String heading, String tenantId, List<Allowance> allowances, java.util.Set<String> countries,
                long version) {
            PrintWriter out = spec.commandLine().getOut();
            if (group.cli.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tenant_id", tenantId);
                m.put("allowances", KeyJson.writeAllowances(allowances));
                m.put("allowed_countries", List.copyOf(countries));
                m.put("version", version);
                Output.json(out, m);
                return;
            }
            if (heading != null) {
                out.println(heading);
            }
            out.printf("  %-14s %s%n", "tenant_id", tenantId);
            out.printf("  %-14s %s%n", "allowances", allowances.isEmpty() ? "none"
                    : String.join(", ", allowances.stream().map(Object::toString).toList()));
            out.printf("  %-14s %s%n", "countries", countries.isEmpty() ? "any" : String.join(", ", countries));
            out.printf("  %-14s %s%n", "version", version == 0 ? "0 (no record)" : version);
        }
    }

    /** {@code apikey tenant show}: the tenant's shared allowances and the record's version. */
    @Command(name = "show", description = "Show the allowances a tenant's keys share, and the record's version "
            + "(0: no record, so none).", footerHeading = "%nExamples:%n",
            footer = {"  apikey tenant show 92", "  apikey tenant show 92 --json", "", KeyCommand.STORE_OPTIONS})
    static final class Show extends Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            checked(List.of());
            try (KeyStoreSession session = group.cli.open()) {
                Tenant t = session.apiKeys.tenant(tenant).orElse(null);
                print(null, tenant, t);
                return 0;
            }
        }
    }

    /** {@code apikey tenant limits}: replaces the tenant's shared allowances with those given, or clears them. */
    @Command(name = "limits", description = "Set the allowances a tenant's keys share, counted once for all of "
            + "them: the options given replace the tenant's list.", footerHeading = "%nExamples:%n",
            footer = {"  apikey tenant limits 92 --quota 10000/month",
                "  apikey tenant limits 92 --rate-limit 100/s --allowance plan=1000000/month",
                "  apikey tenant limits 92 --none", "", KeyCommand.STORE_OPTIONS})
    static final class Limits extends Sub implements Callable<Integer> {
        @Option(names = "--rate-limit", paramLabel = "<n/period>",
                description = "A rate limit the keys share: requests per s, min, h or d, e.g. 100/s.")
        String rateLimit;

        @Option(names = "--quota", paramLabel = "<n/period>",
                description = "Calls the keys share per UTC day or month, e.g. 10000/month.")
        String quota;

        @Option(names = "--allowance", paramLabel = "<[name=]n/unit>", description = "An allowance the keys share: "
                + "[name=]<n>/<second|minute|hour|day|month>, e.g. plan=10000/month; repeat for more.")
        List<String> allowances = List.of();

        @Option(names = "--none", description = "The tenant's keys share no allowances any more.")
        boolean none;

        @Override
        public Integer call() {
            boolean some = rateLimit != null || quota != null || !allowances.isEmpty();
            if (!some && !none) {
                throw new IllegalArgumentException("nothing to set: give --rate-limit, --quota, --allowance or --none");
            }
            if (some && none) {
                throw new IllegalArgumentException("--none clears the tenant's allowances: give it without "
                        + "--rate-limit, --quota and --allowance");
            }
            // Read and checked before the store is opened, so that a bad value changes nothing and opens nothing.
            List<Allowance> list = new ArrayList<>(OptionValues.parseAllowances(allowances));
            if (rateLimit != null) {
                list.add(OptionValues.parseRateLimit(rateLimit));
            }
            if (quota != null) {
                list.add(OptionValues.parseQuota(quota));
            }
            checked(list);
            try (KeyStoreSession session = group.cli.open()) {
                Tenant t = session.apiKeys.setTenantAllowances(tenant, list);
                print("set the allowances of tenant " + tenant, t.tenantId(), t);
                return 0;
            }
        }
    }

    /** {@code apikey tenant countries}: the countries every key of the tenant may be used from, or any. */
    @Command(name = "countries", description = "Set the countries every key of a tenant may be used from (on top of "
            + "a key's own list); the codes given replace the tenant's list.", footerHeading = "%nExamples:%n",
            footer = {"  apikey tenant countries 92 --country DE --country AT", "  apikey tenant countries 92 --any",
                "", KeyCommand.STORE_OPTIONS})
    static final class Countries extends Sub implements Callable<Integer> {
        @Option(names = "--country", paramLabel = "<code>", description = "An ISO 3166-1 alpha-2 code (DE, US); "
                + "repeat for more.")
        List<String> countries = List.of();

        @Option(names = "--any", description = "The tenant's keys may be used from any country (their own lists "
                + "still apply).")
        boolean any;

        @Override
        public Integer call() {
            if (countries.isEmpty() == !any) {
                throw new IllegalArgumentException("give --country (repeat for more) or --any, not both");
            }
            // Checked before the store is opened, so that a bad code changes nothing and opens nothing.
            try {
                checked(List.of()).withAllowedCountries(countries);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Flags.translate(e.getMessage()));
            }
            try (KeyStoreSession session = group.cli.open()) {
                Tenant t = session.apiKeys.setTenantCountries(tenant, countries);
                print("set the countries of tenant " + tenant, t.tenantId(), t);
                return 0;
            }
        }
    }
}
