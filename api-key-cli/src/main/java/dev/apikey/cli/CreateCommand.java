package dev.apikey.cli;

import dev.apikey.IssuedKey;
import dev.apikey.KeySpec;
import dev.apikey.RateLimit;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apikey create}: a new key, printed once. */
@Command(name = "create", description = "Create a key and print it once.", footerHeading = "%nExamples:%n",
        footer = {"  apikey create --tenant 92 --name zapier-prod --scope events:read \\",
            "      --expires 2027-01-01 --owner team-crm@example.com",
            "  apikey create --name crm --scope events:read --scope webhooks:write \\",
            "      --allow 203.0.113.0/24 --rate-limit 600/min --quota 10000/day",
            "  apikey --json create --name nightly --scope events:read",
            "", KeyCommand.STORE_OPTIONS})
final class CreateCommand extends KeyCommand implements Callable<Integer> {

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

    @Option(names = "--owner", description = "Who answers for the key (a team, an e-mail address): who gets warnings.")
    String owner;

    @Option(names = "--environment", description = "The environment the key is for, e.g. prod.")
    String environment;

    @Option(names = "--meta", description = "Metadata key=value; repeat for more.")
    List<String> meta = List.of();

    @Option(names = "--allow", paramLabel = "<cidr>",
            description = "Address range the key may be used from (203.0.113.0/24, 2001:db8::/32); repeat for more.")
    List<String> allow = List.of();

    @Option(names = "--rate-limit", paramLabel = "<n/period>",
            description = "The key's own rate limit: requests per s, min, h or d, e.g. 600/min.")
    String rateLimit;

    @Override
    public Integer call() {
        KeySpec.Builder b = KeySpec.builder(name).scopes(scopes);
        if (tenant != null) {
            b.tenantId(tenant);
        }
        if (expires != null) {
            b.expiresAt(parseExpiry("--expires", expires));
        }
        if (rotateBy != null) {
            b.rotateBy(parseExpiry("--rotate-by", rotateBy));
        }
        if (owner != null) {
            b.owner(owner);
        }
        if (quota != null) {
            b.quota(parseQuota(quota));
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
            b.allowedAddresses(allow.toArray(String[]::new));
        }
        if (rateLimit != null) {
            b.rateLimit(parseRateLimit(rateLimit));
        }
        KeySpec keySpec = b.build();
        try (KeyStoreSession session = cli.openOrCreate()) {
            IssuedKey issued = session.apiKeys.create(keySpec);
            PrintWriter out = out();
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("api_key", issued.plaintext());
                m.putAll(Output.fields(issued.info()));
                Output.json(out, m);
            } else {
                out.println("API key (shown once, store it now):");
                out.println();
                out.println("  " + issued.plaintext());
                out.println();
                Output.text(out, issued.info());
            }
            return 0;
        }
    }

    /** {@code <requests>/<s|min|h|d>}, e.g. {@code 600/min}. */
    static RateLimit parseRateLimit(String text) {
        int slash = text.indexOf('/');
        Duration period = slash < 0 ? null : switch (text.substring(slash + 1)) {
            case "s" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> null;
        };
        if (period == null || !text.substring(0, slash).matches("[1-9][0-9]{0,9}")) {
            throw new IllegalArgumentException("--rate-limit must be requests per s, min, h or d, like 600/min, was '"
                    + text + "'");
        }
        return new RateLimit(Long.parseLong(text.substring(0, slash)), period);
    }

    static dev.apikey.Quota parseQuota(String text) {
        try {
            return dev.apikey.Quota.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    static Instant parseExpiry(String option, String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a date like 2027-01-01 or an instant like "
                    + "2027-01-01T00:00:00Z, was '" + text + "'");
        }
    }
}
