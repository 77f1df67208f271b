package dev.apikey.cli;

import dev.apikey.json.KeyJson;
import dev.apikey.model.Allowance;
import dev.apikey.model.Tenant;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code apikey tenant}: a tenant's own record: its status, its plan's scopes, its cap of live keys, the allowances all
 * its keys share and the countries they may be used from ({@code show}, {@code suspend}, {@code resume}, {@code set},
 * {@code limits}, {@code countries}). A tenant without a record is active with no plan: {@code show} prints it at
 * version 0.
 */
@Command(name = "tenant", description = "Show a tenant's record, suspend or resume it, or set its plan, cap of live "
        + "keys, shared allowances and countries.",
        subcommands = {TenantCommand.Show.class, TenantChangeCommands.Suspend.class, TenantChangeCommands.Resume.class,
            TenantChangeCommands.Set.class, TenantCommand.Limits.class, TenantCommand.Countries.class},
        footerHeading = "%nExamples:%n",
        footer = {"  apikey tenant show 92", "  apikey tenant suspend 92", "  apikey tenant resume 92",
            "  apikey tenant set 92 --plan-scope events:read --max-live-keys 20",
            "  apikey tenant limits 92 --quota 10000/month",
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
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: show, suspend, resume, set, "
                + "limits or countries");
    }

    /** What the subcommands have: the tenant argument, checked before any database is opened, and the output. */
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

        /**
         * Prints a tenant's record, or the empty one of a tenant without a record: with {@code --json} the codec's
         * tenant object (docs/JSON.md; version 0 for no record), else aligned lines after the heading.
         */
        void print(String heading, String tenantId, Tenant t) {
            PrintWriter out = spec.commandLine().getOut();
            if (group.cli.json) {
                com.fasterxml.jackson.databind.node.ObjectNode o = KeyJson.writeTenant(tenantId, t);
                if (t == null) {
                    o.put("version", 0);
                }
                Output.json(out, o);
                return;
            }
            if (heading != null) {
                out.println(heading);
            }
            List<Allowance> allowances = t == null ? List.of() : t.allowances();
            java.util.Set<String> countries = t == null ? java.util.Set.of() : t.allowedCountries();
            java.util.Set<String> plan = t == null ? java.util.Set.of() : t.planScopes();
            out.printf("  %-14s %s%n", "tenant_id", tenantId);
            out.printf("  %-14s %s%n", "status", t != null && t.suspended() ? "suspended (every key refused)"
                    : "active");
            out.printf("  %-14s %s%n", "plan_scopes", plan.isEmpty() ? "any (no plan)" : String.join(", ", plan));
            out.printf("  %-14s %s%n", "max_live_keys", t == null || t.maxLiveKeys() == 0 ? "default"
                    : t.maxLiveKeys());
            out.printf("  %-14s %s%n", "allowances", allowances.isEmpty() ? "none"
                    : String.join(", ", allowances.stream().map(Object::toString).toList()));
            out.printf("  %-14s %s%n", "countries", countries.isEmpty() ? "any" : String.join(", ", countries));
            out.printf("  %-14s %s%n", "version", t == null ? "0 (no record)" : t.version());
        }
    }

    /** {@code apikey tenant show}: the tenant's record and its version. */
    @Command(name = "show", description = "Show a tenant's record: its status, plan scopes, cap of live keys, the "
            + "allowances its keys share, their countries, and the record's version (0: no record).",
            footerHeading = "%nExamples:%n",
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
