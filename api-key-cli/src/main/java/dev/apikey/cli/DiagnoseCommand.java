package dev.apikey.cli;

import dev.apikey.ApiKeyInfo;
import dev.apikey.Failure;
import dev.apikey.Verification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apikey diagnose}: walks the documented diagnosis steps for one key (format and prefix, checksum,
 * exists, secret, not revoked, not expired, scope, tenant), prints each step's result, then the failure code
 * and what to do. Reads the key from standard input with {@code -}, so it stays out of shell history.
 */
@Command(name = "diagnose", description = "Explain why a key is accepted or refused.")
final class DiagnoseCommand extends KeyCommand implements Callable<Integer> {

    private static final String[] STEPS = {"format and prefix", "checksum", "key exists", "secret matches",
        "not revoked", "not expired", "scope", "tenant"};

    @Parameters(paramLabel = "<key>", description = "The key, or - to read it from standard input.")
    String keyArgument;

    @Option(names = "--scope", description = "The scope the call needs.")
    String scope;

    @Option(names = "--tenant", description = "The tenant whose resource the call asks for.")
    String tenant;

    /** Set by tests; standard input otherwise. */
    static java.io.InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        String key = "-".equals(keyArgument) ? readLine() : keyArgument;
        if (scope != null) {
            SeedApi.SCOPES.requireDeclared(List.of(scope));
        }
        try (KeyStoreSession session = cli.open()) {
            Verification v = session.apiKeys.verify(key, scope, tenant);
            String prefix = session.apiKeys.prefix();
            boolean shaped = key != null && key.strip().matches("[A-Za-z][A-Za-z0-9_]*_[0-9A-Za-z]{46}");
            Optional<ApiKeyInfo> info = shaped ? lookup(session, key.strip()) : Optional.empty();
            int failed = failedStep(v.failure().orElse(null), shaped, info.isPresent());
            List<Map<String, String>> steps = new ArrayList<>();
            for (int i = 0; i < STEPS.length; i++) {
                boolean applies = !(i == 6 && scope == null) && !(i == 7 && tenant == null);
                String result = !applies ? "not asked" : failed < 0 || i < failed ? "ok" : i == failed ? "FAILED" : "skipped";
                Map<String, String> step = new LinkedHashMap<>();
                step.put("step", STEPS[i]);
                step.put("result", result);
                step.put("note", result.equals("skipped") ? "" : note(i, prefix, info, result));
                steps.add(step);
            }
            print(out(), v, steps);
            return v.isGranted() ? 0 : 1;
        }
    }

    private static Optional<ApiKeyInfo> lookup(KeyStoreSession session, String key) {
        String keyId = key.substring(key.length() - 46, key.length() - 38);
        return session.apiKeys.get(keyId);
    }

    /** The index of the step the failure belongs to; -1 when none does (granted, or an outage). */
    private static int failedStep(Failure f, boolean shaped, boolean exists) {
        if (f == null) {
            return -1;
        }
        switch (f) {
            case MISSING_API_KEY:
            case MALFORMED_REQUEST:
            case WRONG_ENVIRONMENT:
                return 0;
            case MALFORMED_API_KEY:
                return shaped ? 1 : 0;
            case INVALID_API_KEY:
                return exists ? 3 : 2;
            case REVOKED_API_KEY:
                return 4;
            case EXPIRED_API_KEY:
                return 5;
            case INSUFFICIENT_SCOPE:
                return 6;
            case TENANT_MISMATCH:
                return 7;
            default:
                return -1;
        }
    }

    private static String note(int step, String prefix, Optional<ApiKeyInfo> info, String result) {
        switch (step) {
            case 0:
                return "expects " + prefix + "_[<tenant>_]<46 base62 characters>";
            case 2:
                return info.map(i -> i.hint() + " (" + i.name() + ")").orElse("");
            case 4:
                return info.map(i -> i.revokedUtc() == null ? "" : "revoked " + i.revokedUtc()).orElse("");
            case 5:
                return info.map(i -> i.expiresUtc() == null ? "no expiry" : "expires " + i.expiresUtc()).orElse("");
            case 6:
                return info.map(i -> "holds " + String.join(",", i.scopes())).orElse("");
            case 7:
                return info.map(i -> "belongs to " + (i.tenantId() == null ? "no tenant" : i.tenantId())).orElse("");
            default:
                return "";
        }
    }

    private void print(PrintWriter out, Verification v, List<Map<String, String>> steps) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("granted", v.isGranted());
        v.failure().ifPresent(f -> {
            result.put("code", f.code());
            result.put("http_status", f.httpStatus());
            result.put("detail", v.detail().orElse(f.detail()));
            result.put("resolution", f.resolution());
        });
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("steps", steps);
            all.putAll(result);
            Output.json(out, all);
            return;
        }
        for (Map<String, String> s : steps) {
            out.printf("  %-8s %-18s %s%n", s.get("result"), s.get("step"), s.get("note"));
        }
        out.println();
        if (v.isGranted()) {
            out.println("granted");
        } else {
            out.println("refused: " + result.get("code") + " (HTTP " + result.get("http_status") + ")");
            out.println("  " + result.get("detail"));
            out.println("  what to do: " + result.get("resolution"));
        }
    }

    private static String readLine() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            throw new IllegalArgumentException("no key on standard input");
        }
        return line.strip();
    }
}
