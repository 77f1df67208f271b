package dev.apikey.cli;

import dev.apikey.model.KeyFormat;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apikey scanner-rules}: ready rules that find this deployment's keys in code and logs: a gitleaks rule,
 * a TruffleHog custom detector, and the regular expression for a GitHub custom secret-scanning pattern. The
 * expression finds candidates; the checksum (see {@link KeyFormat}) tells real keys from look-alikes. Needs no
 * database.
 */
@Command(name = "scanner-rules", description = "Print secret-scanner rules (gitleaks, TruffleHog, GitHub) for this "
        + "prefix; needs no database.", footerHeading = "%nExamples:%n",
        footer = {"  apikey --prefix acme scanner-rules", "  apikey scanner-rules --verify-url "
                + "https://api.example.com/scanner/verify", "  apikey --json scanner-rules", "",
            KeyCommand.STORE_OPTIONS})
final class ScannerRulesCommand extends KeyCommand implements Callable<Integer> {

    @Option(names = "--verify-url", paramLabel = "<url>",
            description = "Where TruffleHog checks each candidate's checksum: a ScannerVerifyServlet, e.g. "
                    + "http://127.0.0.1:8080/scanner/verify of `apikey demo`.")
    String verifyUrl;

    @Override
    public Integer call() {
        KeyFormat format = KeyFormat.of(cli.prefix);
        if (verifyUrl != null && !verifyUrl.matches("https?://[^\\s'\"]{1,2000}")) {
            throw new IllegalArgumentException("--verify-url must be an http or https URL, was '" + verifyUrl + "'");
        }
        String regex = format.regex();
        String id = "apikey-" + cli.prefix.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        PrintWriter out = out();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prefix", cli.prefix);
            m.put("regex", regex);
            m.put("keyword", cli.prefix + "_");
            m.put("checksum", "CRC-32 (IEEE) of every character before the last 6, as 6 base62 digits 0-9A-Za-z");
            Output.json(out, m);
            return 0;
        }
        out.println("# gitleaks: add to .gitleaks.toml (or a file passed with --config)");
        out.println("[[rules]]");
        out.println("id = \"" + id + "\"");
        out.println("description = \"API key of prefix " + cli.prefix + "\"");
        out.println("regex = '''" + regex + "'''");
        out.println("keywords = [\"" + cli.prefix + "_\"]");
        out.println();
        out.println("# TruffleHog: a custom detector (trufflehog filesystem . --config=detectors.yaml)");
        out.println("detectors:");
        out.println("  - name: " + id);
        out.println("    keywords:");
        out.println("      - " + cli.prefix + "_");
        out.println("    regex:");
        out.println("      key: '" + regex + "'");
        // TruffleHog counts a candidate verified when its endpoint answers 200: ScannerVerifyServlet checks the checksum.
        out.println((verifyUrl == null ? "    # " : "    ") + "verify:");
        out.println((verifyUrl == null ? "    #   " : "      ") + "- endpoint: "
                + (verifyUrl == null ? "<your ScannerVerifyServlet URL; pass --verify-url to fill this in>" : verifyUrl));
        out.println((verifyUrl == null ? "    #   " : "      ") + "  unsafe: "
                + (verifyUrl != null && verifyUrl.startsWith("http://")));
        out.println();
        out.println("# GitHub: Settings > Code security > Secret scanning > Custom patterns > New pattern");
        out.println("#   Secret format:");
        out.println(regex);
        out.println();
        out.println("# Each finding is a candidate: a real key also passes its checksum. The last 6 characters are the");
        out.println("# CRC-32 (IEEE, as java.util.zip.CRC32 and zlib) of every character before them, written as 6 base62");
        out.println("# digits (0-9A-Za-z, most significant first). `apikey diagnose <key>` checks one.");
        return 0;
    }
}
