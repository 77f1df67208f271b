package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build fails when a code name in the README or docs/ no longer exists ({@link DocNames}): a class, a method, an
 * {@code apikey} command or option, an {@code apikey.*} property. This module is built last and sees every other
 * on its test class path (the starter and the Redis module as test dependencies for this check).
 */
class DocNamesTest {

    private static final Path ROOT = Path.of("..");
    private static CodeIndex code;
    private static Set<String> properties;

    @TempDir
    Path dir;

    @BeforeAll
    static void index() throws IOException {
        code = CodeIndex.of(ROOT);
        properties = properties();
    }

    @Test
    void everyCodeNameInTheReadmeAndDocsExists() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        // SECURITY.md and CONTRIBUTING.md name code too; the CHANGELOG is history and may name what was renamed.
        pages.addAll(List.of(ROOT.resolve("examples/spring-boot-seed-api/README.md"), ROOT.resolve("SECURITY.md"),
                ROOT.resolve("CONTRIBUTING.md")));

        DocNames names = new DocNames(code, properties);

        assertThat(names.check(pages)).as("stale names in the README, docs/, SECURITY.md and CONTRIBUTING.md").isEmpty();
        assertThat(names.checked()).as("names looked up").isGreaterThan(400);
    }

    @Test
    void aPlantedStaleNameOfEachKindIsReported() throws IOException {
        Path page = dir.resolve("STALE.md");
        Files.writeString(page, String.join("\n",
                "# A page",
                "",
                "`ApiKeys.verify(header, \"events:read\")` and `KeySpec.builder(\"n\").scopes(\"a\").build()` exist;",
                "`ApiKeyManager` does not, nor `ApiKeys.verifyFast(header)`, nor `Check.NOT_A_CHECK`,",
                "nor `KeySpec.builder(\"n\").colour(\"red\")`, nor `VerifyFuzzTest#noSuchTarget`, nor `VerifyFuzzTest#zz…`",
                "(`VerifyFuzzTest#verifyAgrees…` does).",
                "",
                "`apikey create --tenant 92` works; `apikey frobnicate` and `apikey create --colour red` do not, nor",
                "`apikey scanner-rules --prefix k` (a root option, before the command: `apikey --prefix k scanner-rules`).",
                "`apikey.prefix` and `apikey.admin.*` exist, `apikey.cache.max-age` does not.",
                "`apikey tenant limits 92 --quota 1/day` works; `apikey tenant show 92 --quota 1/day` does not.",
                "",
                "## `ApiKeys.builder()`",
                "",
                "| setting | what |",
                "|---|---|",
                "| `cacheMaxStaleness(Duration)` | exists |",
                "| `cacheMaxAge(Duration)` | does not |",
                "",
                "```sh",
                "apikey list --expiring 7d",
                "apikey list --since 7d",
                "```",
                ""));

        List<String> findings = new DocNames(code, properties).check(List.of(page));

        assertThat(findings).hasSize(13);
        assertThat(String.join("\n", findings)).contains(
                "STALE.md:4: `ApiKeyManager`: no class of this name",
                "STALE.md:4: `ApiKeys.verifyFast(header)`: no member verifyFast on ApiKeys",
                "STALE.md:4: `Check.NOT_A_CHECK`: no member NOT_A_CHECK on Check",
                "STALE.md:5: `KeySpec.builder(\"n\").colour(\"red\")`: no method colour on Builder",
                "STALE.md:5: `VerifyFuzzTest#noSuchTarget`: no member noSuchTarget on VerifyFuzzTest",
                "STALE.md:5: `VerifyFuzzTest#zz…`: no member starting zz on VerifyFuzzTest",
                "STALE.md:8: `apikey frobnicate`: no command frobnicate",
                "STALE.md:8: `apikey create --colour red`: no option --colour on create",
                "STALE.md:9: `apikey scanner-rules --prefix k`: no option --prefix on scanner-rules",
                "STALE.md:10: `apikey.cache.max-age`: no such property",
                "STALE.md:11: `apikey tenant show 92 --quota 1/day`: no option --quota on show",
                "STALE.md:18: `cacheMaxAge(Duration)`: no method cacheMaxAge",
                "STALE.md:22: `apikey list --since 7d`: no option --since on list");
    }

    /**
     * The starter's generated metadata (its properties), and the meter and observation names (and their key names)
     * its metrics, health and observation sources write.
     */
    private static Set<String> properties() throws IOException {
        Set<String> names = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (URL url : Collections.list(DocNamesTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    names.add(property.path("name").asText());
                }
            }
        }
        assertThat(names).as("the starter's generated metadata on the class path").contains("apikey.prefix");
        Pattern literal = Pattern.compile("\"(apikey(?:\\.[a-z0-9_-]+)+)\"");
        try (Stream<Path> sources = Files.walk(ROOT.resolve("api-key-spring-boot-starter/src/main/java/dev/apikey/spring"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.getParent().endsWith("metrics") || p.getParent().endsWith("health")
                            || p.getFileName().toString().endsWith("Observations.java")).toList()) {
                Matcher m = literal.matcher(Files.readString(source));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
