package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.cli.ApiKeyCliTest.Run;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's several named allowances ({@code --allowance} beside {@code --rate-limit} and {@code --quota}) and a
 * tenant's shared ones ({@code apikey tenant show}, {@code apikey tenant limits}), on an H2 file.
 */
class AllowanceCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    /** Runs a line that must be refused as a bad argument, and returns its one line without {@code apikey: }. */
    private String refused(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        return r.err().strip().substring("apikey: ".length());
    }

    @Test
    void aTenantsAllowancesAreShownSetReplacedAndCleared() {
        run("create", "--tenant", "92", "--name", "k", "--scope", "events:read");
        Run none = run("tenant", "show", "92");
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.out()).containsPattern("tenant_id +92\\R").containsPattern("allowances +none\\R")
                .containsPattern("version +0 \\(no record\\)\\R");
        assertThat(run("tenant", "show", "92", "--json").out().replaceAll("\\s+", ""))
                .isEqualTo("{\"tenant_id\":\"92\",\"status\":\"active\",\"plan_scopes\":[],\"max_live_keys\":null,"
                        + "\"allowances\":[],\"allowed_countries\":[],\"version\":0}");

        Run set = run("tenant", "limits", "92", "--quota", "10000/month");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).startsWith("set the allowances of tenant 92")
                .containsPattern("allowances +10000/month\\R").containsPattern("version +1\\R");
        assertThat(run("tenant", "show", "92", "--json").out().replaceAll("\\s+", "")).isEqualTo(
                "{\"tenant_id\":\"92\",\"status\":\"active\",\"plan_scopes\":[],\"max_live_keys\":null,"
                + "\"allowances\":[{\"name\":\"monthly\",\"kind\":\"quota\",\"limit\":10000,\"period\":\"month\"}],"
                + "\"allowed_countries\":[],\"version\":1}");

        Run replaced = run("--json", "tenant", "limits", "92", "--rate-limit", "100/s", "--allowance",
                "plan=5/day", "--allowance", "burst=20/second");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(replaced.out().replaceAll("\\s+", "")).isEqualTo("{\"tenant_id\":\"92\",\"status\":\"active\","
                + "\"plan_scopes\":[],\"max_live_keys\":null,\"allowances\":["
                + "{\"name\":\"plan\",\"kind\":\"quota\",\"limit\":5,\"period\":\"day\"},"
                + "{\"name\":\"burst\",\"kind\":\"rate\",\"limit\":20,\"period_seconds\":1},"
                + "{\"name\":\"per-second\",\"kind\":\"rate\",\"limit\":100,\"period_seconds\":1}],"
                + "\"allowed_countries\":[],\"version\":2}");
        assertThat(run("tenant", "show", "92").out()).containsPattern(
                "allowances +plan=5/day, burst=20/second, 100/second\\R");

        Run cleared = run("tenant", "limits", "92", "--none");
        assertThat(cleared.code()).as(cleared.err()).isZero();
        assertThat(run("tenant", "show", "92").out()).containsPattern("allowances +none\\R")
                .containsPattern("version +3\\R");
        assertThat(run("tenant", "show", "93").out()).as("another tenant: untouched")
                .containsPattern("version +0 \\(no record\\)");
    }

    @Test
    void aTenantsSharedQuotaRefusesItsSecondKeysCall() {
        String first = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "a", "--scope", "events:read")
                .out());
        String second = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "b", "--scope", "events:read")
                .out());
        String other = ApiKeyCliTest.keyIn(run("create", "--tenant", "93", "--name", "c", "--scope", "events:read")
                .out());
        assertThat(run("tenant", "limits", "92", "--allowance", "plan=1/day").code()).isZero();

        try (KeyStoreSession session = KeyStoreSession.open("jdbc:h2:" + dir.resolve("keys").toAbsolutePath(), "",
                null, "wlcro", false)) {
            assertThat(session.apiKeys.verify(VerifyRequest.header(first)).isGranted()).isTrue();
            Verification refused = session.apiKeys.verify(VerifyRequest.header(second));
            assertThat(refused.isGranted()).as("the tenant's one call a day is spent").isFalse();
            assertThat(refused.failure().orElseThrow().code()).isEqualTo("quota_exceeded");
            assertThat(refused.detail().orElseThrow()).contains("plan");
            assertThat(session.apiKeys.verify(VerifyRequest.header(other)).isGranted()).as("another tenant").isTrue();
        }
    }

    @Test
    void createAndEditTakeNamedAllowancesBesideRateLimitAndQuota() {
        Run created = run("create", "--name", "etl", "--scope", "events:read", "--allowance", "burst=10/second",
                "--allowance", "50000/day");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).containsPattern("allowances +burst=10/second, 50000/day\\R");
        String id = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(created.out()));

        Run byKind = run("edit", id, "--rate-limit", "600/min");
        assertThat(byKind.code()).as(byKind.err()).isZero();
        assertThat(byKind.out()).as("the rate limit replaced, the quota kept")
                .containsPattern("allowances +50000/day, 600/minute\\R");
        assertThat(run("edit", id, "--allowance", "plan=7/month", "--allowance", "burst=5/second", "--json").out()
                .replaceAll("\\s+", "")).contains("\"allowances\":[{\"name\":\"plan\",\"kind\":\"quota\",\"limit\":7,"
                + "\"period\":\"month\"},{\"name\":\"burst\",\"kind\":\"rate\",\"limit\":5,\"period_seconds\":1}]");
        assertThat(run("edit", id, "--no-quota").out()).containsPattern("allowances +burst=5/second\\R");
        assertThat(run("edit", id, "--no-allowances", "--quota", "9/day").out())
                .containsPattern("allowances +9/day\\R");
        Run cleared = run("edit", id, "--no-allowances", "--json");
        assertThat(cleared.code()).as(cleared.err()).isZero();
        assertThat(cleared.out()).contains("\"allowances\" : [ ]");
    }

    @Test
    void badAllowancesNameTheirOptionAndChangeNothing() {
        String id = ApiKeyCliTest.keyIdOf(ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "k",
                "--scope", "events:read", "--allowance", "burst=10/second").out()));
        run("tenant", "limits", "92", "--quota", "100/day");
        String keys = run("list", "--json").out();
        String tenant = run("tenant", "show", "92", "--json").out();

        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--allowance", "10/week"))
                .isEqualTo("--allowance unit must be second, minute, hour, day or month, like 100/minute, "
                        + "was '10/week'");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--allowance", "Burst=10/second"))
                .isEqualTo("--allowance name must be 1 to 32 of [a-z0-9-] starting with a letter, was 'Burst'");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--allowance", "2000000000/second"))
                .isEqualTo("--allowance requests must be 1 to 1000000000, was 2000000000");
        assertThat(refused("create", "--name", "x", "--scope", "events:read", "--allowance", "10/second",
                "--rate-limit", "5/s")).isEqualTo("--allowance: two are named 'per-second'; name one otherwise, "
                + "like burst=10/second");
        assertThat(refused("edit", id, "--allowance", "a=1/day", "--allowance", "a=2/day"))
                .isEqualTo("--allowance: two are named 'a'; name one otherwise, like burst=10/second");
        assertThat(refused("edit", id, "--allowance", "1/hour", "--no-allowances")).contains("--allowance")
                .contains("--no-allowances");
        assertThat(refused("edit", id, "--allowance", "ten/second")).isEqualTo("--allowance must be "
                + "[name=]<count>/<second|minute|hour|day|month>, like 100/minute or burst=10/second, "
                + "was 'ten/second'");

        assertThat(refused("tenant", "limits", "92")).isEqualTo("nothing to set: give --rate-limit, --quota, "
                + "--allowance or --none");
        assertThat(refused("tenant", "limits", "92", "--none", "--quota", "1/day")).contains("--none")
                .contains("--quota");
        assertThat(refused("tenant", "limits", "92", "--quota", "5/week"))
                .isEqualTo("--quota must be calls per day or month, like 10000/day, was '5/week'");
        assertThat(refused("tenant", "limits", "92", "--rate-limit", "5/week"))
                .startsWith("--rate-limit must be requests per s, min, h or d");
        assertThat(refused("tenant", "limits", "92", "--allowance", "1/day", "--quota", "2/day"))
                .isEqualTo("--allowance: two are named 'daily'; name one otherwise, like burst=10/second");
        assertThat(refused("tenant", "limits", "a b", "--quota", "1/day"))
                .isEqualTo("<tenant> may contain only letters, digits and '-'");
        assertThat(refused("tenant", "show", "a b")).startsWith("<tenant> ");
        assertThat(refused("tenant"))
                .isEqualTo("Missing subcommand: show, suspend, resume, set, limits or countries "
                        + "(apikey tenant --help lists them)");

        Run json = run("--json", "tenant", "limits", "92");
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.out()).contains("\"code\" : \"bad_argument\"").contains("nothing to set");

        assertThat(run("list", "--json").out()).as("no key made or changed").isEqualTo(keys);
        assertThat(run("tenant", "show", "92", "--json").out()).as("the tenant unchanged").isEqualTo(tenant);
    }

    @Test
    void tenantCommandsOnAMissingDatabaseSaySoAndMakeNone() {
        Run r = run("tenant", "show", "92");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no key database");
        assertThat(run("--json", "tenant", "limits", "92", "--quota", "1/day").out())
                .contains("\"code\" : \"no_database\"");
        assertThat(dir).isEmptyDirectory();
    }
}
