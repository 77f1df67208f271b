package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The same commands against a real PostgreSQL server named with --db. */
class PostgresCliTest {

    @Test
    void createListDiagnoseEditTenantLimitsAndRevokeWorkTheSameOnPostgres() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            assertThat(run(url, "list", "--json")).as("no key table yet, and none made")
                    .contains("\"code\" : \"no_database\"").contains("no key table api_keys");
            assertThat(run(url, "--json", "list")).contains("no key table api_keys");
            String created = run(url, "create", "--tenant", "92", "--name", "pg-key", "--scope", "events:read");
            String key = ApiKeyCliTest.keyIn(created);
            String id = ApiKeyCliTest.keyIdOf(key);

            assertThat(run(url, "list", "--json")).contains("\"key_id\" : \"" + id + "\"");
            assertThat(run(url, "diagnose", key, "--scope", "events:read")).contains("granted");
            assertThat(run(url, "tenant", "limits", "92", "--quota", "10000/month", "--allowance", "burst=5/second"))
                    .containsPattern("allowances +10000/month, burst=5/second|allowances +burst=5/second, 10000/month")
                    .containsPattern("version +1\\R");
            assertThat(run(url, "tenant", "show", "92", "--json")).contains("\"tenant_id\" : \"92\"")
                    .contains("\"name\" : \"monthly\"").contains("\"version\" : 1");
            assertThat(run(url, "edit", id, "--allowance", "plan=7/day")).containsPattern("allowances +plan=7/day\\R");
            assertThat(run(url, "revoke", id)).startsWith("revoked wlcro_92_" + id);
            assertThat(run(url, "diagnose", key)).contains("revoked_api_key");
        }
    }

    private static String run(String url, String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--db";
        all[1] = url;
        all[2] = "--db-user";
        all[3] = "postgres";
        System.arraycopy(args, 0, all, 4, args.length);
        StringWriter err = new StringWriter();
        ApiKeyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all);
        CliLeakCheck.output(all, out + "\n" + err);
        return out.toString();
    }
}
