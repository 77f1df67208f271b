package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.cli.ApiKeyCliTest.Run;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apikey history}: a key's history as a table or JSON, newest first, since a time; bad options refused. */
class HistoryCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    @Test
    void aKeysHistoryIsATableNewestFirstAndJsonForScripts() throws Exception {
        String key = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "crm", "--scope", "events:read")
                .out());
        String id = ApiKeyCliTest.keyIdOf(key);
        assertThat(run("edit", id, "--name", "crm-v2").code()).isZero();
        assertThat(run("disable", id).code()).isZero();
        assertThat(run("revoke", id).code()).isZero();

        Run table = run("history", "wlcro_92_" + id);
        assertThat(table.code()).as(table.err()).isZero();
        String[] lines = table.out().strip().split("\n");
        assertThat(lines[0]).startsWith("AT").contains("EVENT").contains("ACTOR").contains("DETAILS");
        assertThat(lines).hasSize(5);
        assertThat(lines[1]).contains("revoked");
        assertThat(lines[2]).contains("disabled").contains("reason=manual");
        assertThat(lines[3]).contains("edited").contains("name: crm -> crm-v2");
        assertThat(lines[4]).contains("created");
        for (int i = 1; i < lines.length; i++) {
            assertThat(lines[i]).as("every change of the command line is the cli's").containsPattern("  cli( |$)");
        }

        Run json = run("history", id, "--json");
        assertThat(json.code()).isZero();
        JsonNode page = new ObjectMapper().readTree(json.out());
        assertThat(page.path("events").findValuesAsText("type")).containsExactly("revoked", "disabled", "edited",
                "created");
        assertThat(page.path("events").findValuesAsText("key_id")).containsOnly(id);
        assertThat(json.out()).doesNotContain(key).doesNotContain(key.substring(key.length() - 38));

        assertThat(run("history", id, "--since", "7d").out().strip().split("\n")).hasSize(5);
        assertThat(run("history", id, "--since", Instant.now().plusSeconds(-1).toString().substring(0, 10)).code())
                .isZero();
        assertThat(run("history", id, "--limit", "2").out()).contains("(the 2 newest shown; --limit shows more)");
    }

    @Test
    void badOptionsAreRefusedNamingTheRuleAndAnUnknownKeyIsNotFound() {
        String id = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "crm",
                "--scope", "events:read").out()));

        Run since = run("history", id, "--since", "99999d");
        assertThat(since.code()).isEqualTo(2);
        assertThat(since.err()).contains("--since must be a time back from now");
        assertThat(run("history", id, "--since", "yesterday").err()).contains("--since must be");
        assertThat(run("history", id, "--since", "2999-01-01").err()).contains("--since must be from 1970-01-01 to now");
        Run limit = run("history", id, "--limit", "0");
        assertThat(limit.code()).isEqualTo(2);
        assertThat(limit.err()).contains("--limit must be 1 to 500");
        Run unknown = run("history", "ZZZZZZZZ");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no key with id ZZZZZZZZ");
    }
}
