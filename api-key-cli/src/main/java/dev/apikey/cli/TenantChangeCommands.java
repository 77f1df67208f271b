package dev.apikey.cli;

import dev.apikey.model.Allowance;
import dev.apikey.model.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apikey tenant suspend|resume|set}: the changes of a tenant's record beyond its allowances and countries alone
 * ({@link TenantCommand}). Each value is checked before the store is opened, and a change is one versioned write.
 */
final class TenantChangeCommands {

    private TenantChangeCommands() {
    }

    /** {@code apikey tenant suspend}: every key of the tenant refused ({@code tenant_suspended}), keys untouched. */
    @Command(name = "suspend", description = "Suspend a tenant: every key of it is refused (tenant_suspended, 403) "
            + "until it is resumed; the keys themselves are not changed.", footerHeading = "%nExamples:%n",
            footer = {"  apikey tenant suspend 92", "  apikey tenant suspend 92 --json", "", KeyCommand.STORE_OPTIONS})
    static final class Suspend extends TenantCommand.Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            checked(List.of());
            try (KeyStoreSession session = group.cli.open()) {
                Tenant t = session.apiKeys.tenants().suspend(tenant);
                print("suspended tenant " + tenant, tenant, t);
                return 0;
            }
        }
    }

    /** {@code apikey tenant resume}: the tenant's keys work again, as they were. */
    @Command(name = "resume", description = "Resume a suspended tenant: its keys work again as they were.",
            footerHeading = "%nExamples:%n", footer = {"  apikey tenant resume 92", "", KeyCommand.STORE_OPTIONS})
    static final class Resume extends TenantCommand.Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            checked(List.of());
            try (KeyStoreSession session = group.cli.open()) {
                Tenant t = session.apiKeys.tenants().resume(tenant);
                print("resumed tenant " + tenant, tenant, t);
                return 0;
            }
        }
    }

    /** {@code apikey tenant set}: any of the plan's scopes, the cap of live keys, countries and allowances at once. */
    @Command(name = "set", description = "Set any of a tenant's plan scopes, cap of live keys, countries and shared "
            + "allowances, in one change; what is not given stays as it is.", footerHeading = "%nExamples:%n",
            footer = {"  apikey tenant set 92 --plan-scope events:read --plan-scope webhooks:write",
                "  apikey tenant set 92 --max-live-keys 20 --country DE --quota 10000/month",
                "  apikey tenant set 92 --no-plan --max-live-keys default --any-country",
                "", KeyCommand.STORE_OPTIONS})
    static final class Set extends TenantCommand.Sub implements Callable<Integer> {
        @Option(names = "--plan-scope", paramLabel = "<scope>", description = "A scope the tenant's plan includes; "
                + "repeat for more. Its keys are created and granted no other (scope_not_in_plan).")
        List<String> planScopes = List.of();

        @Option(names = "--no-plan", description = "The tenant's plan restricts no scope.")
        boolean noPlan;

        @Option(names = "--max-live-keys", paramLabel = "<n|default>", description = "The tenant's cap of live keys, "
                + "1 to 1000000, or default for the library's.")
        String maxLiveKeys;

        @Option(names = "--country", paramLabel = "<code>", description = "A country every key of the tenant may be "
                + "used from (ISO 3166-1 alpha-2); repeat for more.")
        List<String> countries = List.of();

        @Option(names = "--any-country", description = "The tenant's keys may be used from any country.")
        boolean anyCountry;

        @Option(names = "--allowance", paramLabel = "<[name=]n/unit>", description = "An allowance the keys share, "
                + "e.g. plan=10000/month; repeat for more. Replaces the tenant's list, with --rate-limit and --quota.")
        List<String> allowances = List.of();

        @Option(names = "--rate-limit", paramLabel = "<n/period>", description = "A rate limit the keys share, "
                + "e.g. 100/s.")
        String rateLimit;

        @Option(names = "--quota", paramLabel = "<n/period>", description = "Calls the keys share per UTC day or "
                + "month, e.g. 10000/month.")
        String quota;

        @Option(names = "--no-allowances", description = "The tenant's keys share no allowances any more.")
        boolean noAllowances;

        @Override
        public Integer call() {
            UnaryOperator<Tenant> change = change();
            // Applied to a stand-in first: a bad value is refused, naming its option, before the store is opened.
            try {
                change.apply(checked(List.of()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(flags(e.getMessage()));
            }
            try (KeyStoreSession session = group.cli.open()) {
                Tenant t;
                try {
                    t = session.apiKeys.tenants().update(tenant, change);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(flags(e.getMessage()));
                }
                print("set tenant " + tenant, tenant, t);
                return 0;
            }
        }

        /** The change the options ask for; refuses none, or two that contradict each other. */
        private UnaryOperator<Tenant> change() {
            both(!planScopes.isEmpty(), noPlan, "--plan-scope", "--no-plan");
            both(!countries.isEmpty(), anyCountry, "--country", "--any-country");
            boolean someAllowance = !allowances.isEmpty() || rateLimit != null || quota != null;
            both(someAllowance, noAllowances, "--allowance, --rate-limit or --quota", "--no-allowances");
            if (planScopes.isEmpty() && !noPlan && maxLiveKeys == null && countries.isEmpty() && !anyCountry
                    && !someAllowance && !noAllowances) {
                throw new IllegalArgumentException("nothing to set: give --plan-scope, --no-plan, --max-live-keys, "
                        + "--country, --any-country, --allowance, --rate-limit, --quota or --no-allowances");
            }
            Integer cap = maxLiveKeys == null ? null : cap(maxLiveKeys);
            List<Allowance> list = null;
            if (someAllowance || noAllowances) {
                list = new ArrayList<>(OptionValues.parseAllowances(allowances));
                if (rateLimit != null) {
                    list.add(OptionValues.parseRateLimit(rateLimit));
                }
                if (quota != null) {
                    list.add(OptionValues.parseQuota(quota));
                }
            }
            List<Allowance> shared = list;
            return t -> {
                Tenant next = t;
                if (!planScopes.isEmpty() || noPlan) {
                    next = next.withPlanScopes(planScopes);
                }
                if (cap != null) {
                    next = next.withMaxLiveKeys(cap);
                }
                if (!countries.isEmpty() || anyCountry) {
                    next = next.withAllowedCountries(countries);
                }
                if (shared != null) {
                    next = next.withAllowances(shared);
                }
                return next;
            };
        }

        private static void both(boolean a, boolean b, String first, String second) {
            if (a && b) {
                throw new IllegalArgumentException(first + " and " + second + " contradict each other: give one");
            }
        }

        private static int cap(String text) {
            if (text.toLowerCase(Locale.ROOT).equals("default")) {
                return 0;
            }
            try {
                int n = Integer.parseInt(text);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new IllegalArgumentException("--max-live-keys must be 1 to " + Tenant.MAX_LIVE_KEYS
                    + ", or default, was '" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'");
        }

        /** The record's field names as the options that set them. */
        private static String flags(String message) {
            if (message == null) {
                return null;
            }
            if (message.startsWith("planScopes")) {
                return "--plan-scope" + message.substring("planScopes".length());
            }
            if (message.startsWith("maxLiveKeys")) {
                return "--max-live-keys" + message.substring("maxLiveKeys".length());
            }
            if (message.startsWith("allowedCountries")) {
                return "--country" + message.substring("allowedCountries".length());
            }
            return Flags.translate(message);
        }
    }
}
