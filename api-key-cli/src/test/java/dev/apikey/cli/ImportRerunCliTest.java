package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.json.KeyJson;
import dev.apikey.model.KeySpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apikey import with external ids (issue 29, import29): stored, exported and copied with the key, what a rerun finds
 * its lines by (a changed line a conflict naming the line and the key); and an import's output off a terminal holds
 * no running count, in text or {@code --json}.
 */
class ImportRerunCliTest {

    @TempDir
    Path dir;

    private String h2(String name) {
        return "jdbc:h2:" + dir.resolve(name).toAbsolutePath();
    }

    private static ApiKeyCliTest.Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        CliLeakCheck.output(args, out + "\n" + err);
        return new ApiKeyCliTest.Run(code, out.toString(), err.toString());
    }

    private String issue(String url) {
        try (KeyStoreSession s = KeyStoreSession.open(url, "", null, "wlcro", true)) {
            return s.apiKeys.create(KeySpec.builder("src").tenantId("92").scopes("events:read").build())
                    .plaintext();
        }
    }

    private Path file(String name, String... lines) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        return file;
    }

    private static String line(String plaintext, String externalId, String scope) {
        return "{\"plaintext\": \"" + plaintext + "\", \"tenant_id\": \"92\", \"scopes\": [\"" + scope + "\"], "
                + "\"external_id\": \"" + externalId + "\"}";
    }

    private static String externalIdHolder(String url, String externalId) {
        try (KeyStoreSession s = KeyStoreSession.open(url, "", null, "wlcro", false)) {
            return s.store.findByExternalId(externalId).orElseThrow().keyId();
        }
    }

    @Test
    void externalIdsAreKeptByExportAndCopyAndARerunWithAChangedLineIsAConflict() throws Exception {
        String other = h2("other");
        String a = issue(other);
        String b = issue(other);
        String target = h2("target");
        Path first = file("first.jsonl", line(a, "crm:cust-1", "events:read"), line(b, "crm:cust-2", "events:read"));

        ApiKeyCliTest.Run imported = cli("--db", target, "import", first.toString());
        assertThat(imported.code()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("2 keys written");
        assertThat(externalIdHolder(target, "crm:cust-1")).isEqualTo(ApiKeyCliTest.keyIdOf(a));

        Path export = dir.resolve("export.jsonl");
        assertThat(cli("--db", target, "export", "--output", export.toString()).code()).isZero();
        assertThat(Files.readString(export)).contains("\"external_id\":\"crm:cust-1\"")
                .contains("\"external_id\":\"crm:cust-2\"");
        String copied = h2("copied");
        assertThat(cli("copy", "--from", target, "--to", copied).code()).isZero();
        assertThat(externalIdHolder(copied, "crm:cust-2")).isEqualTo(ApiKeyCliTest.keyIdOf(b));
        String exported = h2("exported");
        assertThat(cli("--db", exported, "import", export.toString()).code()).isZero();
        assertThat(externalIdHolder(exported, "crm:cust-1")).isEqualTo(ApiKeyCliTest.keyIdOf(a));

        ApiKeyCliTest.Run same = cli("--db", target, "import", first.toString());
        assertThat(same.out()).contains("0 keys written, 2 there already, 0 refused");
        Path changed = file("changed.jsonl", line(a, "crm:cust-1", "events:read"),
                line(issue(other), "crm:cust-2", "events:read"), line(a, "crm:cust-1 ", "events:read"));
        ApiKeyCliTest.Run rerun = cli("--db", target, "import", changed.toString());
        assertThat(rerun.code()).isEqualTo(1);
        assertThat(rerun.out()).contains("line 2: refused " + ApiKeyCliTest.keyIdOf(b)
                + ": external_id_conflict: line 2: external_id crm:cust-2 was imported as key "
                + ApiKeyCliTest.keyIdOf(b) + "; this line differs from it in the key")
                .contains("line 3: refused: invalid: external_id must be 1 to 200 printable ASCII characters")
                .contains("0 keys written");
    }

    /** Off a terminal (as here, and as when piped) an import prints its report only: no count, in text or JSON. */
    @Test
    void offATerminalAnImportPrintsNoRunningCountInTextOrJson() throws Exception {
        String other = h2("other");
        Path in = file("in.jsonl", line(issue(other), "c-1", "events:read"), line(issue(other), "c-2", "events:read"));

        ApiKeyCliTest.Run text = cli("--db", h2("text"), "import", in.toString());
        ApiKeyCliTest.Run json = cli("--json", "--db", h2("json"), "import", in.toString());

        assertThat(text.code()).isZero();
        assertThat(text.out()).isEqualTo("2 lines: 2 keys written, 0 there already, 0 refused" + System.lineSeparator());
        assertThat(text.err()).isEmpty();
        assertThat(json.err()).isEmpty();
        assertThat(KeyJson.mapper().readTree(json.out()).path("written").asInt()).isEqualTo(2);
        assertThat(json.out()).doesNotContain("\r").doesNotContain("\u001b").doesNotContain("checked");
    }

    /** On a terminal: one line rewritten in place, at most every 100 ms and at the end, then a line break. */
    @Test
    void onATerminalTheCountIsOneLineRewrittenInPlace() {
        StringWriter err = new StringWriter();
        long[] now = {0};
        KeyMoves.Progress progress = new KeyMoves.Progress(new PrintWriter(err), true, () -> now[0]);
        for (int i = 1; i <= 5; i++) {
            now[0] += 40;
            progress.progress(i, 0, 5);
        }
        progress.writing(5);
        progress.progress(5, 5, 5);
        progress.done();

        assertThat(List.of(err.toString().split("\r\u001b\\[2K"))).containsExactly("", "apikey: checked 1 of 5 lines",
                "apikey: checked 4 of 5 lines", "apikey: checked 5 of 5 lines",
                "apikey: checked all lines, writing 5 keys as one batch",
                "apikey: checked 5 of 5 lines, 5 keys written" + System.lineSeparator());
        StringWriter off = new StringWriter();
        KeyMoves.Progress piped = new KeyMoves.Progress(new PrintWriter(off), false, () -> 0);
        piped.progress(1, 1, 1);
        piped.writing(1);
        piped.done();
        assertThat(off.toString()).isEmpty();
    }
}
