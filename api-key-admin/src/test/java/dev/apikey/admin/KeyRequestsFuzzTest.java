package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikey.json.KeyJson;
import dev.apikey.model.ApiKeyException;
import dev.apikey.model.KeySpec;
import dev.apikey.model.KeyUpdate;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import java.time.Duration;

/**
 * The admin API's request bodies, as the codec ({@link KeyJson}) and {@link KeyRequests} read them: any JSON object either reads as a request or is refused with a problem the
 * API answers as 4xx (an {@link AdminProblem}, or an argument or state error naming the field), never any other
 * exception, which would be a 500. Corpus under {@code src/test/resources/dev/apikey/admin/KeyRequestsFuzzTestInputs};
 * {@code scripts/fuzz api-key-admin KeyRequestsFuzzTest#anyBodyReadsOrIsRefusedWithAProblem 60s} fuzzes.
 */
class KeyRequestsFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key an edit is read against: one of each allowance, so that rate_limit and quota replace one. */
    private static final KeySpec CURRENT = KeySpec.builder("crm").tenantId("92").scopes("events:read")
            .rateLimit(RateLimit.perMinute(60)).quota(Quota.perDay(1000)).build();

    @FuzzTest(maxDuration = "5m")
    void anyBodyReadsOrIsRefusedWithAProblem(FuzzedDataProvider data) {
        int endpoint = data.consumeInt(0, 2);
        JsonNode body;
        try {
            body = JSON.readTree(data.consumeRemainingAsString());
        } catch (JsonProcessingException e) {
            return;
        }
        if (body == null || !body.isObject()) {
            return;
        }
        try {
            switch (endpoint) {
                case 0 -> assertThat(KeyJson.readSpec(body).scopes()).isNotEmpty();
                case 1 -> assertThat(KeyJson.readUpdate(body, CURRENT)).isInstanceOf(KeyUpdate.class);
                default -> assertThat(KeyRequests.overlap(body)).isBetween(Duration.ZERO, Duration.ofDays(365));
            }
        } catch (AdminProblem | IllegalArgumentException | IllegalStateException | ApiKeyException e) {
            assertThat(e.getMessage()).as("a refusal says why").isNotBlank();
        }
    }
}
