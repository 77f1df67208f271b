package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.cli.ApiKeyCliTest.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apikey usage} on an H2 file: the counts of verifies made through another session (written at its close), a
 * key's and a tenant's, as a table with a sparkline and as JSON; bad arguments named, with exit code 2.
 */
class UsageCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    /** Two keys of tenant 92 and one of tenant 7, verified: busy 3 granted and 1 refused, quiet 1, other 2. */
    private String[] traffic() {
        String busy = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "busy", "--scope", "events:read")
                .out());
        String quiet = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "quiet", "--scope",
                "events:read").out());
        String other = ApiKeyCliTest.keyIn(run("create", "--tenant", "7", "--name", "other", "--scope", "events:read")
                .out());
        try (KeyStoreSession session = KeyStoreSession.open("jdbc:h2:" + dir.resolve("keys").toAbsolutePath(), "",
                null, "wlcro", false)) {
            for (int i = 0; i < 3; i++) {
                session.apiKeys.verify(busy, "events:read");
            }
            session.apiKeys.verify(busy, "webhooks:write");
            session.apiKeys.verify(quiet, null);
            session.apiKeys.verify(other, null);
            session.apiKeys.verify(other, null);
        }
        return new String[] {ApiKeyCliTest.keyIdOf(busy), ApiKeyCliTest.keyIdOf(quiet), ApiKeyCliTest.keyIdOf(other)};
    }

    @Test
    void aKeysUsageIsATableWithASparklineAndItsRefusalsByKind() {
        String[] ids = traffic();

        Run usage = run("usage", ids[0]);

        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.out()).startsWith("usage of wlcro_92_" + ids[0] + " (busy), ").contains(", by hour\n")
                .contains("  calls 4  granted 3  refused 1 (25.0 %)\n")
                .contains("  refused by kind: insufficient_scope 1\n")
                .containsPattern("  calls \\|[^|]+\\|\\R")
                .containsPattern("  BUCKET +CALLS +GRANTED +REFUSED +NETWORKS\\R")
                .containsPattern("T\\d\\d:00:00Z +4 +3 +1 +~0\\R");
    }

    @Test
    void aTenantsUsageHasItsBusiestAndMostRefusedKeysAndNotAnotherTenants() {
        String[] ids = traffic();

        Run usage = run("usage", "--tenant", "92", "--since", "7d");

        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.out()).startsWith("usage of tenant 92, ").contains(", by day\n")
                .contains("  calls 5  granted 4  refused 1 (20.0 %)\n")
                .containsPattern("busiest keys:\\R  KEY ID +CALLS +GRANTED +REFUSED\\R  " + ids[0] + " +4 +3 +1\\R  "
                        + ids[1] + " +1 +1 +0\\R")
                .containsPattern("keys with the most refusals:\\R.*\\R  " + ids[0] + " +4 +3 +1\\R")
                .doesNotContain(ids[2]);
    }

    @Test
    void jsonHasTheSameNumbersInTheApisShape() throws Exception {
        String[] ids = traffic();

        JsonNode key = JSON.readTree(run("usage", ids[0], "--json").out());
        JsonNode tenant = JSON.readTree(run("usage", "--tenant", "7", "--since", "30m", "--json").out());

        assertThat(key.path("series").asText()).isEqualTo("key");
        assertThat(key.path("key_id").asText()).isEqualTo(ids[0]);
        assertThat(key.path("calls").asLong()).isEqualTo(4);
        assertThat(key.path("outcomes").path("insufficient_scope").asLong()).isEqualTo(1);
        assertThat(key.path("points")).hasSize(25);
        assertThat(tenant.path("bucket").asText()).isEqualTo("minute");
        assertThat(tenant.path("granted").asLong()).isEqualTo(2);
        assertThat(tenant.path("busiest").get(0).path("key_id").asText()).isEqualTo(ids[2]);
        assertThat(tenant.path("most_refused")).isEmpty();
    }

    @Test
    void badArgumentsAreNamedWithExitCode2() {
        traffic();
        String[][] cases = {{"--since", "7w"}, {"--since", "4000d"}, {"--bucket", "week"}, {"--limit", "0"}};
        String[] expected = {"--since must be a number and m, h or d", "--since must be at most 3650d",
            "--bucket must be minute, hour or day", "--limit must be 1 to 100"};
        for (int i = 0; i < cases.length; i++) {
            Run bad = run("usage", "--tenant", "92", cases[i][0], cases[i][1]);
            assertThat(bad.code()).as(cases[i][0]).isEqualTo(2);
            assertThat(bad.err()).as(cases[i][0]).contains(expected[i]);
        }
        assertThat(run("usage").err()).contains("give a <key-id> or --tenant");
        assertThat(run("usage", "--tenant", "9 2").err()).contains("--tenant ");
        assertThat(run("usage", "ZZZZZZZZ").code()).as("no such key").isEqualTo(1);
    }

    @Test
    void aSparklineHasEightLevelsASpaceForNothingAndAnAsciiForm() {
        assertThat(Sparkline.of(new long[] {0, 1, 4, 8}, true)).isEqualTo(" \u2581\u2584\u2588");
        assertThat(Sparkline.of(new long[] {0, 1, 4, 8}, false)).isEqualTo(" _~#");
        long[] long120 = new long[120];
        long120[119] = 5;
        assertThat(Sparkline.of(long120, false)).hasSize(60).endsWith("#").startsWith("  ");
    }
}
