package dev.apikey.bcrypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.LegacyFormat;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.Verification;
import dev.apikey.spi.LegacyHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A gateway's legacy key stored as bcrypt (by {@code htpasswd -B}), found by its id part and verified end to end. */
class BcryptLegacyKeyTest {

    private static final String KEY = "ak_7Hq2LmP9xR4tW8zB3nV6cY1dF5gJ0kS";
    /** {@code htpasswd -nbB -C 5 u 'ak_7Hq2LmP9xR4tW8zB3nV6cY1dF5gJ0kS'}, the part after ':'. */
    private static final String HTPASSWD = "$2y$05$Iw//OsaGGyLxSckO7heWWORGI8D6jbsFbiXQLgkvHuYWWbdIr7nfa";
    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final ApiKeys apiKeys = ApiKeys.builder().prefix("acme").store(new InMemoryKeyStore())
            .scopes(ScopeCatalog.builder().scope("events:read", "Read events").build())
            .legacyFormat(LegacyFormat.idPart("gateway", 3, 8).prefix("ak_").length(34, 34).alphabet(B62).build())
            .legacyHasher(BcryptHasher.create())
            .build();

    @AfterEach
    void close() {
        apiKeys.close();
    }

    @Test
    void aBcryptKeyIsGrantedAndAnotherSecretBehindTheSameIdPartIsNot() {
        ApiKeyInfo info = apiKeys.legacy().importKey(KeySpec.builder("gw").scopes("events:read").build(),
                LegacyHash.salted(KEY.substring(3, 11), HTPASSWD));
        Verification granted = apiKeys.verify(KEY, "events:read");
        assertThat(granted.isGranted()).isTrue();
        assertThat(granted.principal().orElseThrow().keyId()).isEqualTo(info.keyId());
        assertThat(granted.principal().orElseThrow().legacy()).isTrue();
        assertThat(apiKeys.verify(KEY, "events:read").isGranted()).isTrue();
        Verification wrong = apiKeys.verify(KEY.substring(0, 33) + "T", "events:read");
        assertThat(wrong.failure()).contains(Failure.INVALID_API_KEY);
        assertThat(wrong.failedCheck()).contains(Check.SECRET);
    }
}
