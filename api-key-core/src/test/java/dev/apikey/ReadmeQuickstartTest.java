package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

// README:verify:imports:start
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
// README:verify:imports:end
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart, compiled and run as written; {@code ReadmeSnippetsTest} (in api-key-cli) checks that
 * the README still shows it.
 */
class ReadmeQuickstartTest {

    @Test
    void theQuickstartRunsAsWritten() {
        Verification result = quickstart();

        assertThat(result.isGranted()).isTrue();
        assertThat(result.principal().orElseThrow().name()).isEqualTo("crm-sync-prod");
    }

    private static Verification quickstart() {
        // README:verify:start
        ScopeCatalog scopes = ScopeCatalog.builder()
                .scope("events:read", "Read events")
                .scope("webhooks:write", "Manage webhook subscriptions")
                .superScope("admin", "Everything")
                .build();

        ApiKeys apiKeys = ApiKeys.builder()
                .prefix("wlcro")
                .store(new InMemoryKeyStore())   // a JDBC store in production
                .scopes(scopes)
                .build();

        // When a customer asks for a key: show issued.plaintext() once; only a hash is stored.
        IssuedKey issued = apiKeys.create(KeySpec.builder("crm-sync-prod")
                .tenantId("92")
                .scopes("events:read")
                .build());

        // On every request: the raw value of the X-Api-Key (or Authorization: Bearer) header.
        String header = issued.plaintext();   // request.getHeader("X-Api-Key") in a real app
        Verification result = apiKeys.verify(header, "events:read");
        if (result.isGranted()) {
            ApiKeyPrincipal caller = result.principal().orElseThrow();
            String tenant = caller.tenantId().orElse(null);    // an Optional: empty for a key without tenant
            boolean admin = caller.hasScope("admin");          // also caller.name(), caller.scopes()
        } else {
            Failure failure = result.failure().orElseThrow();
            String detail = result.detail().orElse(failure.detail());   // an Optional: names a missing scope
            // answer failure.httpStatus() with failure.code(), detail and failure.resolution()
        }
        // README:verify:end
        return result;
    }
}
