package dev.apikey.spi;

import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.VerifyRequest;
import java.util.Optional;

/**
 * A check only the host knows, run on every verify after the scope check and before the rate limit: for
 * example "valid key, but your plan does not include API access" (403). Registered with
 * {@code ApiKeys.builder().accessPolicy(...)}.
 *
 * <pre>{@code
 * Failure noApiAccess = Failure.of("plan_without_api_access", 403, "Plan without API access",
 *         "Your plan does not include API access.", "Upgrade your plan in Settings > Billing.");
 * AccessPolicy plans = (key, request) -> plans.allowsApi(key.tenantId().orElse(null))
 *         ? Optional.empty() : Optional.of(noApiAccess);
 * }</pre>
 *
 * <p>Called on the request thread for keys whose secret matched: keep it quick (no store or network calls
 * without a cache of your own). It must be thread-safe. A policy that throws refuses the request with
 * {@code policy_unavailable} (503, {@code Retry-After}) and the exception is logged (at most one line a minute): a
 * broken policy never grants. {@code ApiKeys.verifyNow} never calls a policy: with one configured, it leaves every
 * verify to the blocking {@code verify}.
 */
@FunctionalInterface
public interface AccessPolicy {

    /**
     * Decides whether a key whose other checks passed may proceed.
     *
     * @param key     the verified key
     * @param request what was asked for: the scope, the tenant and the caller's address
     * @return empty to allow; otherwise the failure to answer (a host failure from {@link Failure#of}, or a
     *         built-in one)
     */
    Optional<Failure> check(ApiKeyPrincipal key, VerifyRequest request);
}
