package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.cli.ApiKeyCliTest.Run;
import dev.apikey.model.Failure;
import dev.apikey.model.VerifyRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apikey tenant show|suspend|resume|set} (issue 26 §5), on an H2 file: a suspension refuses the tenant's keys
 * and a resume restores them; {@code set} changes the plan, the cap, the countries and the allowances in one write;
 * a bad value names its option and changes nothing.
 */
class TenantCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    private KeyStoreSession session() {
        return KeyStoreSession.open("jdbc:h2:" + dir.resolve("keys").toAbsolutePath(), "", null, "wlcro", false);
    }

    private static String flat(String out) {
        return out.replaceAll("\\s+", "");
    }

    @Test
    void aSuspendedTenantsKeysAreRefusedUntilItIsResumed() {
        String key = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "k", "--scope", "events:read")
                .out());
        Run none = run("tenant", "show", "92");
        assertThat(none.out()).containsPattern("status +active\\R").containsPattern("plan_scopes +any \\(no plan\\)\\R")
                .containsPattern("max_live_keys +default\\R").containsPattern("version +0 \\(no record\\)\\R");

        Run suspended = run("tenant", "suspend", "92");
        assertThat(suspended.code()).as(suspended.err()).isZero();
        assertThat(suspended.out()).startsWith("suspended tenant 92").containsPattern("status +suspended");
        try (KeyStoreSession session = session()) {
            assertThat(session.apiKeys.verify(VerifyRequest.header(key).scope("events:read")).failure())
                    .contains(Failure.TENANT_SUSPENDED);
        }
        assertThat(flat(run("tenant", "show", "92", "--json").out())).isEqualTo("{\"tenant_id\":\"92\","
                + "\"status\":\"suspended\",\"plan_scopes\":[],\"max_live_keys\":null,\"allowances\":[],"
                + "\"allowed_countries\":[],\"version\":1}");

        Run resumed = run("--json", "tenant", "resume", "92");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(flat(resumed.out())).contains("\"status\":\"active\"").contains("\"version\":2");
        try (KeyStoreSession session = session()) {
            assertThat(session.apiKeys.verify(VerifyRequest.header(key).scope("events:read")).isGranted()).isTrue();
        }
    }

    @Test
    void setChangesThePlanCapCountriesAndAllowancesAtOnceAndThePlanBoundsNewKeys() {
        String key = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "k", "--scope", "events:read",
                "--scope", "webhooks:write").out());
        Run set = run("tenant", "set", "92", "--plan-scope", "events:read", "--max-live-keys", "2", "--country", "de",
                "--quota", "10000/month");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).startsWith("set tenant 92").containsPattern("plan_scopes +events:read\\R")
                .containsPattern("max_live_keys +2\\R").containsPattern("countries +DE\\R")
                .containsPattern("allowances +10000/month\\R").containsPattern("version +1\\R");
        try (KeyStoreSession session = session()) {
            assertThat(session.apiKeys.verify(VerifyRequest.header(key).scope("webhooks:write").country(() -> "DE"))
                    .failure()).contains(Failure.SCOPE_NOT_IN_PLAN);
        }

        Run outside = run("--json", "create", "--tenant", "92", "--name", "x", "--scope", "webhooks:write");
        assertThat(outside.code()).isEqualTo(1);
        assertThat(flat(outside.out())).contains("\"code\":\"scope_not_in_plan\"").contains("webhooks:write");
        assertThat(run("create", "--tenant", "92", "--name", "second", "--scope", "events:read").code()).isZero();
        Run full = run("create", "--tenant", "92", "--name", "third", "--scope", "events:read");
        assertThat(full.code()).as("the record's cap of 2").isEqualTo(1);
        assertThat(full.err()).contains("2 live keys");

        Run cleared = run("tenant", "set", "92", "--no-plan", "--max-live-keys", "default", "--any-country",
                "--no-allowances");
        assertThat(cleared.code()).as(cleared.err()).isZero();
        assertThat(cleared.out()).containsPattern("plan_scopes +any \\(no plan\\)\\R")
                .containsPattern("max_live_keys +default\\R").containsPattern("countries +any\\R")
                .containsPattern("allowances +none\\R").containsPattern("version +2\\R");
    }

    @Test
    void aBadValueNamesItsOptionAndChangesNothing() {
        assertThat(run("create", "--tenant", "92", "--name", "k", "--scope", "events:read").code()).isZero();
        Run five = run("tenant", "set", "92", "--max-live-keys", "5");
        assertThat(five.code()).as(five.err()).isZero();
        Run undeclared = run("tenant", "set", "92", "--plan-scope", "nope:read", "--max-live-keys", "7");
        assertThat(undeclared.code()).isEqualTo(2);
        assertThat(undeclared.err()).contains("--plan-scope").contains("nope:read");
        Run zero = run("tenant", "set", "92", "--max-live-keys", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("--max-live-keys");
        Run both = run("tenant", "set", "92", "--plan-scope", "events:read", "--no-plan");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--plan-scope and --no-plan");
        Run nothing = run("tenant", "set", "92");
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to set");
        assertThat(run("tenant", "suspend", "9_2").code()).isEqualTo(2);
        assertThat(run("tenant", "show", "92").out()).as("nothing written").containsPattern("max_live_keys +5\\R")
                .containsPattern("version +1\\R").containsPattern("status +active\\R");
    }
}
