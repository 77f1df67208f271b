package dev.apikey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.cli.ApiKeyCliTest.Run;
import dev.apikey.model.Anomaly;
import dev.apikey.model.UsageSubject;
import dev.apikey.spi.AnomalyLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apikey anomalies} on an H2 file: what the store's anomaly log holds (written as the detection writes it, by
 * another session), filtered by tenant, key, age and state, as a table and as the admin API's JSON; bad arguments
 * named, with exit code 2.
 */
class AnomaliesCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Run run(String... args) {
        return ApiKeyCliTest.run(dir, args);
    }

    private static Anomaly anomaly(Anomaly.Kind kind, UsageSubject subject, String tenant, Instant window,
            long observed, long baseline, Instant opened, Instant closed) {
        return new Anomaly(Anomaly.idOf(kind, subject, window), kind, subject, tenant, window,
                window.plus(Duration.ofHours(1)), observed, baseline, null, opened, closed);
    }

    /**
     * Keys of tenants 92 and 7; anomalies: an open refusal burst of 92's key, a closed volume spike of tenant 92 a day
     * ago, an open one of tenant 7's key, and a closed one of 92's key 40 days ago.
     */
    private String[] anomalies() {
        String busy = ApiKeyCliTest.keyIn(run("create", "--tenant", "92", "--name", "busy", "--scope", "events:read")
                .out());
        String other = ApiKeyCliTest.keyIn(run("create", "--tenant", "7", "--name", "other", "--scope", "events:read")
                .out());
        String busyId = ApiKeyCliTest.keyIdOf(busy);
        String otherId = ApiKeyCliTest.keyIdOf(other);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (KeyStoreSession session = KeyStoreSession.open("jdbc:h2:" + dir.resolve("keys").toAbsolutePath(), "",
                null, "wlcro", false)) {
            AnomalyLog log = (AnomalyLog) session.store;
            log.openAnomaly(anomaly(Anomaly.Kind.REFUSAL_BURST, UsageSubject.key(busyId), "92", hour, 240, 3,
                    hour.plusSeconds(60), null));
            log.openAnomaly(anomaly(Anomaly.Kind.VOLUME_SPIKE, UsageSubject.tenant("92"), "92",
                    hour.minus(Duration.ofDays(1)), 9000, 800, hour.minus(Duration.ofDays(1)).plusSeconds(60),
                    hour.minus(Duration.ofDays(1)).plus(Duration.ofHours(1))));
            log.openAnomaly(anomaly(Anomaly.Kind.NEW_NETWORK, UsageSubject.key(otherId), "7", hour, 2, 5,
                    hour.plusSeconds(120), null));
            log.openAnomaly(anomaly(Anomaly.Kind.VOLUME_SPIKE, UsageSubject.key(busyId), "92",
                    hour.minus(Duration.ofDays(40)), 700, 100, hour.minus(Duration.ofDays(40)).plusSeconds(60),
                    hour.minus(Duration.ofDays(40)).plus(Duration.ofHours(1))));
        }
        return new String[] {busyId, otherId};
    }

    @Test
    void aTenantsAnomaliesAreATableOfItsOwnAndItsKeysNotAnotherTenants() {
        String[] ids = anomalies();

        Run listed = run("anomalies", "--tenant", "92");

        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).startsWith("anomalies of tenant 92, opened since ")
                .contains(": 2\n")
                .containsPattern("  OPENED +KIND +SUBJECT +TENANT +WINDOW +SEEN +USUAL +STATE +DETAIL\\R")
                .containsPattern("refusal_burst +key " + ids[0] + " +92 +\\S+\\+1h +240 +3 +open")
                .containsPattern("volume_spike +tenant 92 +92 +\\S+\\+1h +9000 +800 +closed")
                .doesNotContain(ids[1]).doesNotContain("700");
        // The newest first.
        assertThat(listed.out().indexOf("refusal_burst")).isLessThan(listed.out().indexOf("volume_spike"));
    }

    @Test
    void openKeyAndSinceNarrowTheList() {
        String[] ids = anomalies();

        Run open = run("anomalies", "--open");
        Run key = run("anomalies", "--key", ids[0], "--since", "60d");
        Run recent = run("anomalies", "--key", ids[0], "--since", "2h");
        Run none = run("anomalies", "--tenant", "5");

        assertThat(open.out()).startsWith("open anomalies of every tenant").contains(": 2\n")
                .contains("refusal_burst").contains("new_network").doesNotContain("volume_spike");
        assertThat(key.out()).startsWith("anomalies of key " + ids[0]).contains(": 2\n").contains("700");
        assertThat(recent.out()).contains(": 1\n").contains("refusal_burst").doesNotContain("700");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains(": 0\n").doesNotContain("OPENED");
    }

    @Test
    void jsonIsTheAdminApisShape() throws Exception {
        String[] ids = anomalies();

        JsonNode json = JSON.readTree(run("anomalies", "--tenant", "7", "--json").out());

        assertThat(json.path("anomalies")).hasSize(1);
        JsonNode a = json.path("anomalies").get(0);
        assertThat(a.path("kind").asText()).isEqualTo("new_network");
        assertThat(a.path("key_id").asText()).isEqualTo(ids[1]);
        assertThat(a.path("tenant_id").asText()).isEqualTo("7");
        assertThat(a.path("observed").asLong()).isEqualTo(2);
        assertThat(a.path("open").asBoolean()).isTrue();
    }

    @Test
    void badArgumentsAreNamedWithExitCode2() {
        anomalies();
        String[][] cases = {{"--since", "7w"}, {"--since", "4000d"}, {"--limit", "0"}, {"--limit", "1001"},
            {"--tenant", "9 2"}};
        String[] expected = {"--since must be a number and m, h or d", "--since must be at most 3650d",
            "--limit must be 1 to 1000", "--limit must be 1 to 1000", "--tenant "};
        for (int i = 0; i < cases.length; i++) {
            Run bad = run("anomalies", cases[i][0], cases[i][1]);
            assertThat(bad.code()).as(cases[i][0] + " " + cases[i][1]).isEqualTo(2);
            assertThat(bad.err()).as(cases[i][0]).contains(expected[i]);
        }
        assertThat(run("anomalies", "--key", "not a key").code()).isEqualTo(2);
    }
}
