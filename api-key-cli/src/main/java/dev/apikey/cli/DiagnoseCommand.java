package dev.apikey.cli;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
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
 * {@code apikey diagnose}: verifies one key as the API would and prints the verifier's checks in its own order
 * (header, format and checksum, prefix, key exists, secret, revoked, expired, address, country, tenant, scope, policy,
 * rate limit), the one that refused, the failure code and what to do. Reads the key from standard input with
 * {@code -}, so it stays out of shell history.
 */
@Command(name = "diagnose", description = "Explain why a key is accepted or refused: exit code 0 granted, 1 refused.",
        footerHeading = "%nExamples:%n",
        footer = {"  apikey diagnose - --scope events:read --tenant 92 < key.txt",
            "      # - reads the key from standard input: it stays out of shell history",
            "  pbpaste | apikey diagnose - --address 203.0.113.7", "  apikey --json diagnose - < key.txt", "",
            KeyCommand.STORE_OPTIONS})
final class DiagnoseCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key>", description = "The key, or - to read it from standard input.")
    String keyArgument;

    @Option(names = "--scope", description = "The scope the call needs.")
    String scope;

    @Option(names = "--tenant", description = "The tenant whose resource the call asks for.")
    String tenant;

    @Option(names = "--address", description = "The caller's IP address, for keys with an allow list.")
    String address;

    @Option(names = "--country", paramLabel = "<code>",
            description = "The caller's country (ISO 3166-1 alpha-2), for keys with a country list.")
    String country;

    /** Set by tests; standard input otherwise. */
    static java.io.InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        String key = "-".equals(keyArgument) ? readLine() : keyArgument;
        if (scope != null) {
            SeedApi.SCOPES.requireDeclared(List.of(scope));
        }
        VerifyRequest request = VerifyRequest.header(key);
        request = scope == null ? request : request.scope(scope);
        request = tenant == null ? request : request.tenantId(tenant);
        request = address == null ? request : request.remoteAddress(address);
        String from = country;
        request = from == null ? request : request.country(() -> from);
        try (KeyStoreSession session = cli.open()) {
            Verification v = session.apiKeys.verify(request);
            Optional<ApiKeyInfo> info = session.apiKeys.keyFormat().parse(key == null ? null : key.strip())
                    .flatMap(parts -> session.apiKeys.get(parts.keyId()));
            List<DiagnoseReport.Step> steps = DiagnoseReport.steps(v, request, info, session.apiKeys.prefix(), false,
                    country == null ? null : country.strip().toUpperCase(java.util.Locale.ROOT));
            print(out(), v, steps);
            return v.isGranted() ? 0 : 1;
        }
    }

    private void print(PrintWriter out, Verification v, List<DiagnoseReport.Step> steps) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("granted", v.isGranted());
        v.failure().ifPresent(f -> {
            result.put("code", f.code());
            result.put("status", f.httpStatus());
            result.put("detail", v.detail().orElse(f.detail()));
            result.put("resolution", f.resolution());
        });
        if (json()) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (DiagnoseReport.Step s : steps) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("check", s.name());
                row.put("description", s.check().description());
                row.put("result", s.result());
                row.put("note", s.note());
                rows.add(row);
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("steps", rows);
            all.putAll(result);
            Output.json(out, all);
            return;
        }
        for (DiagnoseReport.Step s : steps) {
            out.printf("  %-9s %-26s %s%n", s.result(), s.check().description(), s.note());
        }
        out.println();
        if (v.isGranted()) {
            out.println("granted");
        } else {
            out.println("refused: " + result.get("code") + " (HTTP " + result.get("status") + ")");
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
