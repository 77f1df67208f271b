package dev.apikey.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Finds code names in Markdown pages that no longer exist, so that documentation cannot go stale silently. It
 * checks inline code (between single backquotes) and the {@code apikey} lines of shell blocks:
 *
 * <ul>
 *   <li>a class, {@code ClassName} (two or more capitalised words), against the classes of the class path and the
 *       repository's sources;</li>
 *   <li>{@code ClassName.member(...)} (a chain of calls followed through the declared return types),
 *       {@code ClassName.CONSTANT}, {@code Outer.Nested} and {@code ClassName#method}, by reflection (by the source
 *       text for classes not on the class path);</li>
 *   <li>a bare {@code method(...)} where a heading or paragraph names {@code ClassName.builder(...)}: against every
 *       class named in that paragraph and heading and their builders;</li>
 *   <li>{@code apikey <command> [--option ...]} against the picocli command tree, options per command;</li>
 *   <li>{@code apikey.some-property} against the starter's generated configuration metadata (and the meter names
 *       written in its sources).</li>
 * </ul>
 *
 * Anything else (HTTP headers, JSON fields, shell lines) is not a claim about code and is left alone. Names that
 * exist outside this class path are listed in {@link #IGNORED} with the reason.
 */
final class DocNames {

    /** Names that look like code of ours but are not on this module's class path; each with its reason. */
    static final Map<String, String> IGNORED = Map.of(
            "ErrorReportValve", "Tomcat's class, on the servlet module's test class path only",
            "StandardHost", "Tomcat's class, on the servlet module's test class path only",
            "Tomcat", "Tomcat's class, on the servlet module's test class path only",
            "SampleTime", "a JMH benchmark mode (Mode.SampleTime); JMH is on the benchmarks' class path only",
            "InMemoryUserDetailsManager", "Spring Security's class, an optional dependency of the starter",
            "PreAuthorize", "Spring Security's annotation, an optional dependency of the starter",
            "HttpSessionRequestCache", "Spring Security's class, an optional dependency of the starter",
            "FactorGrantedAuthority", "Spring Security's class, an optional dependency of the starter",
            "apikey.jar", "the CLI's jar file, not a property");

    private static final Pattern CODE_SPAN = Pattern.compile("(?<!`)`([^`\\n]+)`(?!`)");
    private static final Pattern CLASS = Pattern.compile("@?([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)");
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.$])([A-Z][A-Za-z0-9]*(?:\\.[A-Z][A-Za-z0-9]*)?)(?:\\.|#)([A-Za-z_][A-Za-z0-9_]*)(\\(|…)?");
    private static final Pattern BARE_CALL = Pattern.compile("([a-z][A-Za-z0-9]*)\\(.*");
    private static final Pattern BUILDER = Pattern.compile("([A-Z][A-Za-z0-9]*)\\.builder\\(");
    private static final Pattern PROPERTY = Pattern.compile("apikey(?:\\.[a-z0-9*_-]+)+");

    private final CodeIndex code;
    private final CommandLine cli;
    private final Set<String> properties;
    private final List<String> findings = new ArrayList<>();
    private int checked;

    DocNames(CodeIndex code, Set<String> properties) {
        this.code = code;
        this.cli = ApiKeyCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        this.properties = properties;
    }

    /** {@return one line per stale name in these pages: page, line, the name and why} */
    List<String> check(List<Path> pages) throws IOException {
        for (Path page : pages) {
            checkPage(page);
        }
        return List.copyOf(findings);
    }

    private void checkPage(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        Set<String> headingContext = new LinkedHashSet<>();
        Set<String> paragraphContext = new LinkedHashSet<>();
        boolean fenced = false;
        boolean shell = false;
        String command = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = page.getFileName() + ":" + (i + 1);
            if (line.startsWith("```")) {
                fenced = !fenced;
                shell = fenced && line.startsWith("```sh");
                command = null;
                continue;
            }
            if (fenced) {
                if (shell) {
                    String text = line.replaceFirst("\\s+#.*", "");
                    if (text.startsWith("apikey ")) {
                        command = text;
                        checkCommand(where, text);
                    } else if (command != null && text.matches("\\s+\\[?--.*")) {
                        checkCommand(where, command.split(" ")[0] + " " + command.split(" ")[1] + " " + text.strip());
                    }
                }
                continue;
            }
            if (line.isBlank()) {
                paragraphContext.clear();
            }
            boolean heading = line.startsWith("#");
            if (heading) {
                headingContext.clear();
            }
            Matcher span = CODE_SPAN.matcher(line);
            while (span.find()) {
                String token = span.group(1).strip();
                Set<String> context = heading ? headingContext : paragraphContext;
                Matcher builder = BUILDER.matcher(token);
                while (builder.find()) {
                    context.add(builder.group(1));
                    Set<String> built = code.builderTypes(builder.group(1));
                    context.addAll(built.isEmpty() ? Set.of(builder.group(1) + ".Builder") : built);
                }
                Matcher named = CLASS.matcher(token);
                if (named.matches() && code.knows(named.group(1))) {
                    context.add(named.group(1));
                }
                Matcher call = QUALIFIED.matcher(token);
                while (call.find()) {
                    if ("(".equals(call.group(3)) && code.knows(call.group(1))) {
                        context.add(call.group(1));
                    }
                }
                checkToken(where, token, headingContext, paragraphContext);
            }
        }
    }

    private void checkToken(String where, String token, Set<String> headingContext, Set<String> paragraphContext) {
        if (IGNORED.containsKey(token)) {
            return;
        }
        if (token.startsWith("apikey ")) {
            checkCommand(where, token);
            return;
        }
        Matcher property = PROPERTY.matcher(token);
        if (property.lookingAt()) {
            checkProperty(where, property.group());
            return;
        }
        Matcher named = CLASS.matcher(token);
        if (named.matches()) {
            checked++;
            if (!code.knows(named.group(1)) && !IGNORED.containsKey(named.group(1))) {
                report(where, token, "no class of this name");
            }
            return;
        }
        Matcher qualified = QUALIFIED.matcher(token);
        boolean any = false;
        while (qualified.find()) {
            any = true;
            checkQualified(where, token, qualified);
        }
        Matcher bare = BARE_CALL.matcher(token);
        if (!any && bare.matches() && hasBuilder(headingContext, paragraphContext)) {
            checked++;
            Set<String> owners = new LinkedHashSet<>(headingContext);
            owners.addAll(paragraphContext);
            if (owners.stream().noneMatch(owner -> code.hasMember(owner, bare.group(1))
                    || code.knows(owner + ".Builder") && code.hasMember(owner + ".Builder", bare.group(1)))) {
                report(where, token, "no method " + bare.group(1) + " on " + owners);
            }
        }
    }

    private static boolean hasBuilder(Set<String> headingContext, Set<String> paragraphContext) {
        return headingContext.stream().anyMatch(c -> c.endsWith("Builder"))
                || paragraphContext.stream().anyMatch(c -> c.endsWith("Builder"));
    }

    private void checkQualified(String where, String token, Matcher qualified) {
        checked++;
        String owner = qualified.group(1);
        String member = qualified.group(2);
        if ("class".equals(member)) {
            return; // a class literal
        }
        if ("…".equals(qualified.group(3))) {
            if (!code.hasMemberStartingWith(owner, member)) {
                report(where, token, "no member starting " + member + " on " + owner);
            }
            return;
        }
        if (IGNORED.containsKey(owner) || (!code.knows(owner) && !Character.isUpperCase(member.charAt(0))
                && qualified.group(3) == null)) {
            return; // e.g. a file name such as `Foo.java`, or a class we cannot see: only calls are claims
        }
        if (!code.knows(owner)) {
            report(where, token, "no class " + owner);
            return;
        }
        if (!code.hasMember(owner, member)) {
            report(where, token, "no member " + member + " on " + owner);
            return;
        }
        if (qualified.group(3) != null) {
            followChain(where, token, code.returnTypes(code.classes(owner), member), qualified.end());
        }
    }

    /** After {@code Type.call(...)}, each further {@code .call(} is looked up on what the previous one returns. */
    private void followChain(String where, String token, Set<Class<?>> types, int afterParen) {
        int at = afterParen;
        while (!types.isEmpty()) {
            int depth = 1;
            while (at < token.length() && depth > 0) {
                char c = token.charAt(at++);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            Matcher next = Pattern.compile("\\.([a-z][A-Za-z0-9]*)\\(").matcher(token);
            if (depth > 0 || !next.region(at, token.length()).lookingAt()) {
                return;
            }
            String method = next.group(1);
            if (types.stream().noneMatch(t -> CodeIndex.hasMember(t, method))) {
                report(where, token, "no method " + method + " on " + types.iterator().next().getSimpleName());
                return;
            }
            types = code.returnTypes(types, method);
            at = next.end();
        }
    }

    private void checkCommand(String where, String line) {
        checked++;
        String[] words = line.replaceAll("[\\[\\]]", " ").strip().split("\\s+");
        CommandLine current = cli;
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (word.startsWith("<") || word.startsWith("$") || word.equals("|") || word.equals("...")) {
                continue;
            }
            if (word.startsWith("--")) {
                String option = word.split("[=|]")[0];
                if (current.getCommandSpec().findOption(option) == null) {
                    report(where, line, "no option " + option + " on " + current.getCommandName());
                }
                continue;
            }
            if (current != cli && current.getSubcommands().containsKey(word)) {
                current = current.getSubcommands().get(word); // a group's command, such as apikey tenant limits
                continue;
            }
            if (current == cli && takesValue(words[i - 1])) {
                continue; // a root option's value, such as --db <url>
            }
            if (current == cli && word.matches("[a-z][a-z-]*(\\|[a-z][a-z-]*)*")) {
                for (String name : word.split("\\|")) {
                    if (!cli.getSubcommands().containsKey(name)) {
                        report(where, line, "no command " + name);
                        return;
                    }
                }
                current = cli.getSubcommands().get(word.split("\\|")[0]);
            } else if (current == cli) {
                return; // prose such as "apikey is ...": not a command line
            }
        }
    }

    private boolean takesValue(String word) {
        CommandLine.Model.OptionSpec option = word.startsWith("--") ? cli.getCommandSpec().findOption(word) : null;
        return option != null && option.arity().max() > 0;
    }

    private void checkProperty(String where, String name) {
        checked++;
        if (IGNORED.containsKey(name)) {
            return;
        }
        String stem = name.endsWith("*") ? name.substring(0, name.length() - 1) : null;
        boolean known = stem == null ? properties.contains(name)
                : properties.stream().anyMatch(p -> p.startsWith(stem));
        if (!known) {
            report(where, name, "no such property");
        }
    }

    /** {@return how many names the last {@link #check} looked up: a check that extracts nothing proves nothing} */
    int checked() {
        return checked;
    }

    private void report(String where, String token, String why) {
        findings.add(where + ": `" + token + "`: " + why);
    }
}
