package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quickstart, compiled and run as written, and checked to still be what the README shows. */
class ReadmeQuickstartTest {

    @Test
    void theQuickstartRunsAsWritten() {
        Verification result = quickstart();

        assertThat(result.isGranted()).isTrue();
        assertThat(result.principal().orElseThrow().name()).isEqualTo("crm-sync-prod");
    }

    private static Verification quickstart() {
        // README:verify:start
        ScopeCatalog scopes = ScopeCatalog.builder()
                .scope("events:read", "Read events")
                .scope("webhooks:write", "Manage webhook subscriptions")
                .superScope("admin", "Everything")
                .build();

        ApiKeys apiKeys = ApiKeys.builder()
                .prefix("wlcro")
                .store(new InMemoryKeyStore())   // a JDBC store in production
                .scopes(scopes)
                .build();

        // When a customer asks for a key: show issued.plaintext() once; only a hash is stored.
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm-sync-prod")
                .tenantId("92")
                .scopes("events:read")
                .build());

        // On every request: the raw value of the X-Api-Key (or Authorization: Bearer) header.
        String header = issued.plaintext();   // request.getHeader("X-Api-Key") in a real app
        Verification result = apiKeys.verify(header, "events:read");
        if (result.isGranted()) {
            ApiKeyPrincipal caller = result.principal().orElseThrow();
            // caller.tenantId(), caller.name(), caller.scopes(), caller.hasScope("admin")
        } else {
            Failure failure = result.failure().orElseThrow();
            // respond failure.httpStatus() with failure.code(), result.detail(), failure.resolution()
        }
        // README:verify:end
        return result;
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/apikey/ReadmeQuickstartTest.java"));
        String snippet = source.substring(source.indexOf("// README:verify:start") + "// README:verify:start".length(),
                source.indexOf("        // README:verify:end"));
        String readme = Files.readString(Path.of("../README.md"));

        assertThat(normalize(readme)).contains(normalize(snippet));
    }

    private static String normalize(String text) {
        return Arrays.stream(text.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
