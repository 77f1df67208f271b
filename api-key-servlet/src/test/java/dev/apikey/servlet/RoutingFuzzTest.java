package dev.apikey.servlet;

import dev.apikey.model.RequestPaths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz targets for the filter's path rules and its route rules, each against a plain reference. Corpus under
 * {@code src/test/resources/dev/apikey/servlet/RoutingFuzzTestInputs}; {@code scripts/fuzz} fuzzes one target.
 */
class RoutingFuzzTest {

    private static final List<Route> ROUTES = List.of(
            Route.open("GET", "/health"),
            Route.scoped("GET", "/api/v1/tenants/{tenantId}/events", "events:read"),
            Route.scoped("POST", "/api/v1/tenants/{tenantId}/events/{eventId}/replay", "events:write"),
            Route.authenticated("GET", "/api/v1/whoami"),
            Route.scoped("*", "/admin/keys", "admin"));

    /** Percent-decodes once, as a lenient layer would: bad escapes left as they are. */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** RFC 3986 section 5.2.4, the way a container normalises a path. */
    private static String removeDotSegments(String path) {
        List<String> out = new ArrayList<>();
        String[] parts = path.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                if (i == parts.length - 1) {
                    out.add("");
                }
            } else if (p.equals(".")) {
                if (i == parts.length - 1) {
                    out.add("");
                }
            } else {
                out.add(p);
            }
        }
        return "/" + String.join("/", out);
    }

    /** What a container hands the filter: path parameters cut, decoded once, dot segments removed. */
    private static String containerPath(String raw) {
        return removeDotSegments(decode(raw.replaceAll(";[^/]*", "")));
    }

    /**
     * A path the filter calls canonical reads the same to every layer (decoded once or twice, dot segments
     * removed, backslashes as slashes, path parameters cut), so the route it matches is the route any layer
     * behind it sees.
     */
    @FuzzTest(maxDuration = "5m")
    void aCanonicalPathReadsTheSameInEveryLayer(@NotNull String raw) {
        if (!raw.startsWith("/")) {
            raw = "/" + raw;
        }
        String path = containerPath(raw);
        if (!RequestPaths.isCanonical(raw, path)) {
            return;
        }
        List<String> readings = List.of(decode(raw), decode(decode(raw)), removeDotSegments(decode(raw)),
                decode(raw.replace('\\', '/')), decode(raw).replaceAll(";[^/]*", ""),
                removeDotSegments(decode(decode(raw))).replace("//", "/"));
        for (String reading : readings) {
            assertThat(reading).as("a reading of %s", raw).isEqualTo(path);
        }
        String[] segments = path.substring(1).split("/", -1);
        for (Route route : ROUTES) {
            assertThat(route.matchesPath(segments)).as("%s on %s", route, path).isEqualTo(templateRegex(route).matcher(path).matches());
        }
    }

    /** A route's template as a regular expression: each {name} is one non-empty segment, the rest literal. */
    private static Pattern templateRegex(Route route) {
        String template = route.toString().split(" ")[1];
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static final Pattern RULE = Pattern.compile("([^ \\t]+)[ \\t]+([^ \\t]+)[ \\t]+->[ \\t]+([^ \\t]+)");
    private static final Pattern PATH = Pattern.compile("(/([A-Za-z0-9._~-]*|\\{[A-Za-z][A-Za-z0-9]*}))+");

    /** Whether a rule line should parse, read plainly from the documented grammar. */
    private static boolean referenceAccepts(String line) {
        String rule = line.strip();
        Matcher m = RULE.matcher(rule);
        if (!m.matches() || rule.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            return false;
        }
        String method = m.group(1).toUpperCase(Locale.ROOT);
        String path = m.group(2);
        return (method.equals("*") || method.matches("[A-Z]{3,10}")) && PATH.matcher(path).matches()
                && !path.contains("//") && !path.contains("..");
    }

    @FuzzTest(maxDuration = "5m")
    void routeRulesParseAsDocumentedOrSayWhy(@NotNull String line) {
        Throwable thrown = catchThrowable(() -> Route.parse(line));
        assertThat(thrown == null).as("accepted: %s", line).isEqualTo(referenceAccepts(line));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
            assertThat(thrown.getMessage()).matches("(?s)(route|method|path|a path variable) .*");
            boolean oneRuleLine = !line.strip().isEmpty() && !line.strip().startsWith("#")
                    && !Pattern.compile("\\R").matcher(line).find();
            if (oneRuleLine) {
                assertThatIllegalArgumentException().isThrownBy(() -> Route.parseAll("GET /health -> public\n" + line));
            }
            return;
        }
        Route route = Route.parse(line);
        assertThat(Route.parse(route.toString()).toString()).isEqualTo(route.toString());
        assertThat(Route.parseAll("# rules\n\n" + line + "\n")).hasSize(1);
    }
}
