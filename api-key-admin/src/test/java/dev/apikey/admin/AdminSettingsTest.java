package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The new settings of the admin module refuse values out of range, naming the setting and the rule. */
class AdminSettingsTest {

    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(AdminApiContract.SCOPES).hasher(Sha256Hasher.create()).build();

    @AfterEach
    void close() {
        apiKeys.close();
    }

    @Test
    void bodyLimitsOutOfRangeAreRefused() {
        BodyLimits d = BodyLimits.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> d.deadline(Duration.ofMillis(99)))
                .withMessage("deadline must be 100 ms to 5 minutes, was PT0.099S");
        assertThatIllegalArgumentException().isThrownBy(() -> d.deadline(Duration.ofMinutes(6)))
                .withMessageStartingWith("deadline must be 100 ms to 5 minutes");
        assertThatIllegalArgumentException().isThrownBy(() -> d.minRate(-1, Duration.ZERO))
                .withMessage("minRate bytesPerSecond must be 0 to 10485760, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> d.minRate(1, Duration.ofSeconds(-1)))
                .withMessageStartingWith("minRate grace must be 0 to 1 minute");
        assertThatIllegalArgumentException().isThrownBy(() -> d.maxReaders(0))
                .withMessage("maxReaders must be 1 to 10000, was 0");
    }

    @Test
    void theBulkheadAndOriginsOutOfRuleAreRefused() {
        AdminApi.Builder b = AdminApi.builder(apiKeys);
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxConcurrentStoreCalls(0))
                .withMessage("maxConcurrentStoreCalls must be 1 to 64, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxConcurrentStoreCalls(65))
                .withMessage("maxConcurrentStoreCalls must be 1 to 64, was 65");
        for (String bad : new String[] {"https://admin.example.com/", "https://admin.example.com/admin",
                "https://admin.example.com:0", "https://admin.example.com:70000", "ws://admin.example.com",
                "https://user@admin.example.com", "https://*.example.com"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> b.origins(bad))
                    .withMessageStartingWith("origins must each be scheme://host[:port] with scheme http or https");
        }
        assertThatIllegalArgumentException().isThrownBy(b::origins).withMessage("origins must name at least one origin");
    }
}
