package dev.apikey.cli;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.Check;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.Verification;
import dev.apikey.model.VerifyRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The steps {@code apikey diagnose} prints: the verifier's own {@link Check}s in its order, each ok, failed,
 * skipped (after the failing one) or not asked (a check that did not apply), with what the store says about
 * the key. The failing step is the one the {@link Verification} names, so diagnose never disagrees with verify.
 */
final class DiagnoseReport {

    /** One line of the report. */
    record Step(Check check, String result, String note) {

        /** The check's name in JSON: {@code key_exists}, {@code secret}. */
        String name() {
            return check.name().toLowerCase(Locale.ROOT);
        }
    }

    static final String OK = "ok";
    static final String FAILED = "FAILED";
    static final String SKIPPED = "skipped";
    static final String NOT_ASKED = "not asked";

    private DiagnoseReport() {
    }

    /**
     * @param v        what verify answered
     * @param request  what was asked
     * @param info     the key as the store has it, if the value parsed and the id exists
     * @param prefix   this environment's prefix
     * @param policy   whether an access policy is configured
     */
    static List<Step> steps(Verification v, VerifyRequest request, Optional<ApiKeyInfo> info, String prefix,
            boolean policy) {
        return steps(v, request, info, prefix, policy, null);
    }

    /**
     * The steps, as {@link #steps(Verification, VerifyRequest, Optional, String, boolean)}, with the caller's country
     * as the request's resolver gave it ({@code null}: unknown), for the country step's note.
     */
    static List<Step> steps(Verification v, VerifyRequest request, Optional<ApiKeyInfo> info, String prefix,
            boolean policy, String country) {
        Check failed = v.failedCheck().orElse(null);
        List<Step> steps = new ArrayList<>();
        for (Check check : Check.values()) {
            String result;
            if (failed != null && check.ordinal() > failed.ordinal()) {
                result = SKIPPED;
            } else if (check == failed) {
                result = FAILED;
            } else {
                result = applies(check, request, info, policy) ? OK : NOT_ASKED;
            }
            steps.add(new Step(check, result, result.equals(SKIPPED) ? "" : note(check, prefix, request, info,
                    country)));
        }
        return steps;
    }

    private static boolean applies(Check check, VerifyRequest request, Optional<ApiKeyInfo> info, boolean policy) {
        switch (check) {
            case ADDRESS:
                return info.map(i -> !i.attributes().allowedAddresses().isEmpty()).orElse(false);
            case COUNTRY:
                return info.map(i -> !i.attributes().allowedCountries().isEmpty()).orElse(false);
            case TENANT:
                return request.tenantId().isPresent();
            case TENANT_ACTIVE:
                return info.map(i -> i.attributes().tenantId().isPresent()).orElse(false);
            case SCOPE:
                return request.scope().isPresent();
            case PLAN:
                return request.scope().isPresent() && info.map(i -> i.attributes().tenantId().isPresent())
                        .orElse(false);
            case POLICY:
                return policy;
            case RATE_LIMIT:
                return info.map(i -> i.attributes().rateLimit().isPresent()).orElse(false);
            default:
                return true;
        }
    }

    private static String note(Check check, String prefix, VerifyRequest request, Optional<ApiKeyInfo> info,
            String country) {
        switch (check) {
            case FORMAT:
                return "expects " + prefix + "_[<tenant>_]<" + KeyFormat.TOKEN_LENGTH + " base62 characters>";
            case KEY_EXISTS:
                return info.map(i -> i.hint() + " (" + i.attributes().name() + ")").orElse("");
            case REVOKED:
                return info.flatMap(ApiKeyInfo::revokedAt).map(at -> "revoked " + at).orElse("");
            case EXPIRED:
                return info.map(i -> i.attributes().expiresAt().map(at -> "expires " + at).orElse("no expiry")).orElse("");
            case ADDRESS:
                return info.filter(i -> !i.attributes().allowedAddresses().isEmpty())
                        .map(i -> "allows " + String.join(",", i.attributes().allowedAddresses()) + "; caller "
                                + request.remoteAddress().orElse("unknown"))
                        .orElse("");
            case COUNTRY:
                return info.filter(i -> !i.attributes().allowedCountries().isEmpty())
                        .map(i -> "allows " + String.join(",", i.attributes().allowedCountries()) + "; caller "
                                + (country == null ? "unknown" : country))
                        .orElse("");
            case TENANT:
                return info.map(i -> "belongs to " + i.attributes().tenantId().orElse("no tenant")).orElse("");
            case TENANT_ACTIVE:
            case PLAN:
                return info.flatMap(i -> i.attributes().tenantId()).map(t -> "apikey tenant show " + t).orElse("");
            case SCOPE:
                return info.map(i -> "holds " + String.join(",", i.attributes().scopes())).orElse("");
            case RATE_LIMIT:
                return info.flatMap(i -> i.attributes().rateLimit()).map(Flags::rateLimit).orElse("");
            default:
                return "";
        }
    }
}
