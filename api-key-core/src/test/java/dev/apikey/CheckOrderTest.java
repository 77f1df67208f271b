package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Check;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The order of the checks is one list, {@link Check}: the verifier steps through it, {@code apikey diagnose} prints
 * it ({@code DiagnoseReportTest}), and docs/ARCHITECTURE.md's table of the verify path must read the same, with the
 * same checks marked as ones that may block.
 */
class CheckOrderTest {

    private static final Path ARCHITECTURE = Path.of("..", "docs", "ARCHITECTURE.md");
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| `([A-Z_]+)` \\|.*\\| (yes|no)[^|]*\\|$");

    @Test
    void theArchitecturePagesTableIsTheEnumInOrderWithTheChecksThatMayBlock() throws IOException {
        List<String> names = new ArrayList<>();
        List<Boolean> mayBlock = new ArrayList<>();
        for (String line : Files.readAllLines(ARCHITECTURE)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(Integer.parseInt(row.group(1))).as("row number of %s", row.group(2))
                        .isEqualTo(names.size() + 1);
                names.add(row.group(2));
                mayBlock.add(row.group(3).equals("yes"));
            }
        }
        List<String> declared = new ArrayList<>();
        List<Boolean> declaredMayBlock = new ArrayList<>();
        for (Check check : Check.values()) {
            declared.add(check.name());
            declaredMayBlock.add(check.mayBlock());
        }
        assertThat(names).as("the checks in %s", ARCHITECTURE).isEqualTo(declared);
        assertThat(mayBlock).as("which may block").isEqualTo(declaredMayBlock);
    }

    @Test
    void everyRefusalNamesACheckInThatOrder() {
        // A refusal at each early step, one per check: the step that decided is the first that failed.
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .build()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            assertThat(apiKeys.verify(null, null).failedCheck()).contains(Check.HEADER);
            assertThat(apiKeys.verify(key.substring(1), null).failedCheck()).contains(Check.FORMAT);
            assertThat(apiKeys.verify(TestKeys.withSecret(key, "w".repeat(32)), "webhooks:write").failedCheck())
                    .as("a wrong secret is refused before the scope is looked at").contains(Check.SECRET);
            assertThat(apiKeys.verify(VerifyRequest.header(key).tenantId("93").scope("webhooks:write")).failedCheck())
                    .as("the tenant before the scope").contains(Check.TENANT);
            assertThat(apiKeys.verify(key, "webhooks:write").failedCheck()).contains(Check.SCOPE);
        }
    }
}
