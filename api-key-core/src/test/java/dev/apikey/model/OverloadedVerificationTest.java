package dev.apikey.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Verification#overloaded()}, an adapter's answer when its own workers are all busy: the verifier's
 * {@code overloaded} refusal (503, retry after a second, the key not judged), with its problem's headers and body.
 */
class OverloadedVerificationTest {

    @Test
    void anAdaptersOverloadIsTheVerifiersOverloadedRefusal() {
        Verification v = Verification.overloaded();

        assertThat(v.isGranted()).isFalse();
        assertThat(v.failure()).contains(Failure.OVERLOADED);
        assertThat(v.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(v.principal()).isEmpty();
        Problem problem = Problem.of(v);
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.headers("api")).containsEntry("Retry-After", "1").containsEntry("Cache-Control", "no-store")
                .doesNotContainKey("WWW-Authenticate");
        assertThat(new String(problem.body("urn:apikey:problem:"), StandardCharsets.UTF_8))
                .contains("\"code\":\"overloaded\"").contains("\"retry_after\":1")
                .contains("\"detail\":\"" + Failure.OVERLOADED.detail() + "\"");
    }
}
