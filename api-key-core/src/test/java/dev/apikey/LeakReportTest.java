package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyEventListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A leak report: only our own keys whose secret matches are answered, then revoked or only flagged. */
class LeakReportTest {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).listener(new KeyEventListener() {
                @Override
                public void leaked(ApiKeyInfo key, String source, boolean revoked) {
                    events.add(key.keyId() + " " + source + " " + revoked);
                }
            }).build();

    @AfterEach
    void closeApiKeys() {
        apiKeys.close();
    }

    @Test
    void aReportedKeyOfOursIsRevokedAndTheEventNamesWhereItLeaked() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build());
        String url = "https://github.com/octo/repo/blob/main/.env";

        ApiKeyInfo after = apiKeys.reportLeak(issued.plaintext(), url, true).orElseThrow();

        assertThat(after.status()).isEqualTo(ApiKeyInfo.Status.REVOKED);
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").failure()).contains(Failure.REVOKED_API_KEY);
        assertThat(events).containsExactly(issued.info().keyId() + " " + url + " true");
        assertThat(apiKeys.reportLeak(issued.plaintext(), url, true)).as("reported again: still ours").isPresent();
    }

    @Test
    void aFlaggedKeyKeepsWorking() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm").scopes("events:read").build());

        ApiKeyInfo after = apiKeys.reportLeak(issued.plaintext(), null, false).orElseThrow();

        assertThat(after.status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        assertThat(events).containsExactly(issued.info().keyId() + " null false");
    }

    @Test
    void lookAlikesAreFalsePositivesAndChangeNothing() {
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read").build());
        String wrongSecret = TestKeys.withSecret(issued.plaintext(),
                "0".repeat(TestKeys.secretOf(issued.plaintext()).length()));
        String otherTenant = TestKeys.withHead(issued.plaintext(), "wlcro_93_");
        String otherPrefix = TestKeys.withHead(issued.plaintext(), "other_92_");

        for (String token : List.of(wrongSecret, otherTenant, otherPrefix, "not a key", "")) {
            assertThat(apiKeys.reportLeak(token, "https://example.com", true)).as(token).isEmpty();
        }
        assertThat(apiKeys.verify(issued.plaintext(), "events:read").isGranted()).isTrue();
        assertThat(events).isEmpty();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> apiKeys.reportLeak(issued.plaintext(), "line\nbreak", true))
                .withMessageStartingWith("source ");
        assertThat(apiKeys.get(issued.info().keyId()).orElseThrow().status()).isEqualTo(ApiKeyInfo.Status.ACTIVE);
    }
}
