package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet of the README and of docs/*.md is code that a test compiles and runs: a region between
 * {@code // README:<name>:start} and {@code :end} in a test source of some module, preceded by the imports
 * between {@code // README:<name>:imports:start} and {@code :end}. This test runs last (the CLI module is built
 * last) and compares them, ignoring indentation and blank lines.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("// README:([a-z-]+):start\\n(.*?)\\n\\s*// README:\\1:end",
            Pattern.DOTALL);
    private static final Pattern IMPORTS = Pattern.compile(
            "// README:([a-z-]+):imports:start\\n(.*?)// README:\\1:imports:end", Pattern.DOTALL);

    @Test
    void everyJavaSnippetIsATestedRegionAndEveryRegionIsShown() throws IOException {
        List<String> snippets = new ArrayList<>();
        for (Path page : pages()) {
            Matcher block = JAVA_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                snippets.add(normalize(block.group(1)));
            }
        }
        Map<String, String> regions = regions();

        assertThat(snippets).as("Java snippets in the README and docs/").isNotEmpty();
        for (String snippet : snippets) {
            assertThat(regions.values()).as("a test region showing:%n%s", snippet).contains(snippet);
        }
        regions.forEach((name, code) -> assertThat(snippets).as("README or docs/ show region %s", name).contains(code));
    }

    /** The README and every page under docs/ (a snippet moved to docs/ is still compared). */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Region name to its imports and code, normalized, from every module's test sources. */
    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT, 12)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("src" + java.io.File.separator + "test"))
                    .filter(p -> !p.getFileName().toString().equals("ReadmeSnippetsTest.java")).toList();
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            Matcher region = REGION.matcher(text);
            Map<String, String> imports = new LinkedHashMap<>();
            Map<String, String> code = new LinkedHashMap<>();
            while (region.find()) {
                code.put(region.group(1), region.group(2));
            }
            Matcher importRegion = IMPORTS.matcher(text);
            while (importRegion.find()) {
                imports.put(importRegion.group(1), importRegion.group(2));
            }
            code.forEach((name, body) -> {
                String previous = regions.put(name, normalize(imports.getOrDefault(name, "") + "\n" + body));
                assertThat(previous).as("region %s defined twice", name).isNull();
            });
        }
        return regions;
    }

    /** The README's application.yml is the example application's, between its README markers: both start. */
    @Test
    void theSpringBootYamlIsTheExampleApplications() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(yaml.find()).as("a yaml block in the README").isTrue();
        String example = Files.readString(ROOT.resolve("examples/spring-boot-seed-api/src/main/resources/application.yml"));
        Matcher region = Pattern.compile("# README:start\\n(.*?)# README:end", Pattern.DOTALL).matcher(example);
        assertThat(region.find()).as("README markers in application.yml").isTrue();
        assertThat(normalize(yaml.group(1))).isEqualTo(normalize(region.group(1)));
    }

    private static String normalize(String text) {
        return Arrays.stream(text.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
