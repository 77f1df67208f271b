package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.KeyFormat;
import dev.apikey.testkit.SecretShapes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite-wide secret-leak check for the CLI, where slf4j-simple writes every log line to
 * {@code target/cli-tests.log}: fails any test during which a secret-shaped line was logged. {@link #output}
 * checks what a command printed: only {@code create}, {@code rotate} and {@code demo} may print a key, the one they
 * issued, and nothing else secret-shaped.
 */
public final class CliLeakCheck implements AfterEachCallback {

    private static final Path LOG = Path.of("target", "cli-tests.log");
    private static final Pattern ANY_KEY = Pattern.compile(KeyFormat.anyPrefixRegex());
    private static final List<String> ISSUING = List.of("create", "rotate", "demo");
    private static long read;

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!Files.exists(LOG)) {
            return;
        }
        String logged;
        synchronized (CliLeakCheck.class) {
            try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
                byte[] fresh = new byte[(int) Math.max(0, file.length() - read)];
                file.seek(read);
                file.readFully(fresh);
                read += fresh.length;
                logged = new String(fresh, StandardCharsets.UTF_8);
            }
        }
        for (String line : logged.split("\\R")) {
            assertThat(SecretShapes.in(line)).as("secret-shaped text was logged: %s", line).isFalse();
        }
    }

    /**
     * Checks what one command printed.
     *
     * @param args the command line
     * @param printed everything it printed, standard output and error
     */
    static void output(String[] args, String printed) {
        boolean issues = Arrays.stream(args).anyMatch(ISSUING::contains);
        String rest = printed;
        Matcher key = ANY_KEY.matcher(printed);
        if (issues && key.find()) {
            rest = printed.replace(key.group(), "<issued key>");
        }
        assertThat(SecretShapes.in(rest)).as("secret-shaped output of %s:%n%s", String.join(" ", args), rest).isFalse();
    }
}
