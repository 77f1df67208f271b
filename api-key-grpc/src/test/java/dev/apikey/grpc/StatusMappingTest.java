package dev.apikey.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table of docs/GRPC.md: every built-in failure's gRPC code, and a host's failures by their HTTP status. */
class StatusMappingTest {

    @Test
    void everyBuiltInFailureHasTheCodeTheDocsSay() {
        Map<String, Status.Code> expected = new LinkedHashMap<>();
        for (String code : new String[] {"missing_api_key", "malformed_request", "malformed_api_key",
            "wrong_environment", "invalid_api_key", "revoked_api_key", "expired_api_key", "disabled_api_key"}) {
            expected.put(code, Status.Code.UNAUTHENTICATED);
        }
        for (String code : new String[] {"tenant_mismatch", "insufficient_scope", "ip_not_allowed", "country_not_allowed",
            "tenant_suspended", "scope_not_in_plan"}) {
            expected.put(code, Status.Code.PERMISSION_DENIED);
        }
        for (String code : new String[] {"rate_limited", "quota_exceeded", "too_many_failed_attempts"}) {
            expected.put(code, Status.Code.RESOURCE_EXHAUSTED);
        }
        for (String code : new String[] {"store_unavailable", "rate_limit_unavailable", "quota_unavailable",
            "policy_unavailable", "overloaded"}) {
            expected.put(code, Status.Code.UNAVAILABLE);
        }
        // HTTP paths and query strings only: never raised by the interceptor, mapped by their 400.
        expected.put("non_canonical_path", Status.Code.INVALID_ARGUMENT);
        expected.put("api_key_in_url", Status.Code.INVALID_ARGUMENT);
        Map<String, Status.Code> actual = new LinkedHashMap<>();
        Failure.builtIns().forEach(f -> actual.put(f.code(), Refusals.codeOf(f)));
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void aHostsFailureIsMappedByItsHttpStatus() {
        assertThat(Refusals.codeOf(host("plan_without_api_access", 403))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(Refusals.codeOf(host("account_suspended", 401))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Refusals.codeOf(host("bad_plan_header", 400))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Refusals.codeOf(host("credits_exhausted", 429))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Refusals.codeOf(host("billing_unavailable", 503))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Refusals.codeOf(host("gone_for_good", 410))).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    private static Failure host(String code, int httpStatus) {
        return Failure.of(code, httpStatus, "Title", "Detail.", "Resolution.");
    }
}
