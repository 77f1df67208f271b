package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.cli.ApiKeyCliTest.Run;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apikey list --status}: the keys of one status, filtered by the store and read page by page. */
class ListStatusTest {

    private static final Pattern KEY_ID = Pattern.compile("\"key_id\" : \"([A-Za-z0-9]{8})\"");

    @TempDir
    Path dir;

    /** Key ids by the status each key has. */
    private final Map<String, Set<String>> byStatus = new LinkedHashMap<>();

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    private String created(String name, String tenant) {
        return ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("create", "--tenant", tenant, "--name", name,
                "--scope", "events:read").out()));
    }

    private String successor(Run rotated) {
        assertThat(rotated.code()).as(rotated.err()).isZero();
        return ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(rotated.out()));
    }

    /** One key of each status: active, revoked, disabled, expired (rotated without overlap), expiring. */
    @BeforeEach
    void oneKeyOfEachStatus() {
        String active = created("k-active", "92");
        String revoked = created("k-revoked", "92");
        assertThat(run("revoke", revoked).code()).isZero();
        String disabled = created("k-disabled", "93");
        assertThat(run("disable", disabled).code()).isZero();
        String expired = created("k-expired", "93");
        String expiredSuccessor = successor(run("rotate", expired, "--overlap", "0s"));
        String expiring = created("k-expiring", "92");
        String expiringSuccessor = successor(run("rotate", expiring, "--overlap", "1h"));
        byStatus.put("active", Set.of(active, expiredSuccessor, expiringSuccessor));
        byStatus.put("revoked", Set.of(revoked));
        byStatus.put("disabled", Set.of(disabled));
        byStatus.put("expired", Set.of(expired));
        byStatus.put("expiring", Set.of(expiring));
    }

    @AfterEach
    void restorePageSize() {
        ListCommand.pageSize = dev.apikey.ApiKeys.MAX_PAGE;
    }

    private static List<String> ids(String json) {
        Matcher m = KEY_ID.matcher(json);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void eachStatusListsExactlyItsKeys() {
        byStatus.forEach((status, expected) -> {
            Run json = run("list", "--status", status, "--json");
            assertThat(json.code()).as(json.err()).isZero();
            assertThat(ids(json.out())).as("--status %s", status).containsExactlyInAnyOrderElementsOf(expected);

            Run text = run("list", "--status", status);
            List<String> lines = text.out().lines().skip(1).toList();
            assertThat(lines).as("--status %s, text", status).hasSize(expected.size())
                    .allSatisfy(line -> assertThat(line).contains("  " + status + "  "));
        });
        assertThat(ids(run("list", "--status", "REVOKED", "--json").out())).as("any case")
                .containsExactlyElementsOf(byStatus.get("revoked"));
        assertThat(ids(run("list", "--json").out())).as("no --status: all").hasSize(7);
    }

    @Test
    void statusCombinesWithTenantAndExpiring() {
        List<String> active92 = ids(run("list", "--tenant", "92", "--status", "active", "--json").out());
        assertThat(active92).hasSize(2).allSatisfy(id -> assertThat(byStatus.get("active")).contains(id));
        assertThat(ids(run("list", "--tenant", "93", "--status", "revoked", "--json").out())).isEmpty();
        assertThat(ids(run("list", "--status", "expiring", "--expiring", "2h", "--json").out()))
                .containsExactlyElementsOf(byStatus.get("expiring"));
    }

    @Test
    void pagesAreReadToTheEndAndListedOldestFirst() {
        String all = run("list", "--json").out();
        ListCommand.pageSize = 2;
        assertThat(run("list", "--json").out()).as("7 keys in pages of 2: the same list").isEqualTo(all);
        assertThat(ids(run("list", "--status", "active", "--json").out()))
                .containsExactlyInAnyOrderElementsOf(byStatus.get("active"));
    }

    @Test
    void anUnknownStatusNamesTheChoices() {
        Run bad = run("list", "--status", "gone");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo(
                "apikey: --status must be one of active, expiring, revoked, expired, disabled, was 'gone'");
        Run json = run("--json", "list", "--status", "gone");
        assertThat(json.out()).contains("\"code\" : \"bad_argument\"");
    }
}
