package dev.apikey.cli;

import java.io.PrintWriter;
import dev.apikey.IssuedKey;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apikey rotate}: a new key replaces the old, which keeps working for the overlap. */
@Command(name = "rotate", description = "Rotate a key: print a new one, with the old key's settings; the old one "
        + "works for the overlap, then expires.", footerHeading = "%nExamples:%n",
        footer = {"  apikey rotate 3kTz9QbC --overlap 24h",
            "  apikey --json rotate wlcro_92_3kTz9QbC --overlap 7d",
            "  apikey rotate 3kTz9QbC --overlap 0s     # the old key stops at once", "",
            KeyCommand.STORE_OPTIONS})
final class RotateCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    @Option(names = "--overlap", required = true, description = "How long the old key keeps working: 30m, 24h, 7d.")
    String overlap;

    @Override
    public Integer call() {
        Duration d = parseDuration("--overlap", overlap);
        String id = keyIdOf(keyId, cli.prefix);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            IssuedKey issued = session.apiKeys.manage(ACTOR).rotate(id, d);
            PrintWriter out = out();
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("api_key", issued.plaintext());
                m.put("replaces", id);
                m.putAll(Output.fields(issued.info()));
                Output.json(out, m);
            } else {
                out.println("New API key (shown once, store it now); " + id + " keeps working for " + Flags.human(d) + ":");
                out.println();
                out.println("  " + issued.plaintext());
                out.println();
                Output.text(out, issued.info());
            }
            return 0;
        }
    }

    static Duration parseDuration(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("[0-9]{1,6}[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 's':
                        return Duration.ofSeconds(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    case 'h':
                        return Duration.ofHours(n);
                    default:
                        return Duration.ofDays(n);
                }
            }
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be like 30m, 24h, 7d or PT24H, was '" + text + "'");
        }
    }
}
