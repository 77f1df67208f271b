package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Check;
import dev.apikey.model.Failure;
import dev.apikey.model.RateLimit;
import dev.apikey.model.KeySpec;
import dev.apikey.model.VerifyRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The order of the checks is one list, {@link Check}: the verifier runs its steps in it, {@code apikey diagnose} prints
 * it ({@code DiagnoseReportTest}), and docs/ARCHITECTURE.md's table of the verify path must read the same, with the
 * same checks marked as ones that may block.
 */
class CheckOrderTest {

    private static final Path ARCHITECTURE = Path.of("..", "docs", "ARCHITECTURE.md");
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| `([A-Z_]+)` \\|.*\\| (yes|no)[^|]*\\|$");

    @Test
    void theArchitecturePagesTableIsTheEnumInOrderWithTheChecksThatMayBlock() throws IOException {
        List<String> names = new ArrayList<>();
        List<Boolean> mayBlock = new ArrayList<>();
        for (String line : Files.readAllLines(ARCHITECTURE)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(Integer.parseInt(row.group(1))).as("row number of %s", row.group(2))
                        .isEqualTo(names.size() + 1);
                names.add(row.group(2));
                mayBlock.add(row.group(3).equals("yes"));
            }
        }
        List<String> declared = new ArrayList<>();
        List<Boolean> declaredMayBlock = new ArrayList<>();
        for (Check check : Check.values()) {
            declared.add(check.name());
            declaredMayBlock.add(check.mayBlock());
        }
        assertThat(names).as("the checks in %s", ARCHITECTURE).isEqualTo(declared);
        assertThat(mayBlock).as("which may block").isEqualTo(declaredMayBlock);
    }

    @Test
    void everyRefusalNamesACheckInThatOrder() {
        // A refusal at each early step, one per check: the step that decided is the first that failed.
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .build()) {
            String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read").build()).plaintext();
            assertThat(apiKeys.verify(null, null).failedCheck()).contains(Check.HEADER);
            assertThat(apiKeys.verify(key.substring(1), null).failedCheck()).contains(Check.FORMAT);
            assertThat(apiKeys.verify(TestKeys.withSecret(key, "w".repeat(32)), "webhooks:write").failedCheck())
                    .as("a wrong secret is refused before the scope is looked at").contains(Check.SECRET);
            assertThat(apiKeys.verify(VerifyRequest.header(key).tenantId("93").scope("webhooks:write")).failedCheck())
                    .as("the tenant before the scope").contains(Check.TENANT);
            assertThat(apiKeys.verify(key, "webhooks:write").failedCheck()).contains(Check.SCOPE);
        }
    }

    /**
     * Two neighbouring checks failing at once, for every pair the engine decides in turn: the earlier one answers.
     * The engine writes its checks out in the enum's order (one step each, no loop): this is what holds it to that
     * order. Rate limit and quota are one spend whose most constrained allowance answers, not an order.
     */
    @Test
    void whenTwoNeighbouringChecksFailTheEarlierDecides() {
        MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
        Failure noAccess = Failure.of("no_access", 403, "No access", "The host's policy refused.", "Ask the host.");
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore()).scopes(TestKeys.SCOPES)
                .clock(clock).accessPolicy((k, request) -> k.name().startsWith("policy-")
                        ? java.util.Optional.of(noAccess) : java.util.Optional.empty())
                .build()) {
            java.util.function.Function<KeySpec.Builder, String> create = spec -> apiKeys.create(spec.build())
                    .plaintext();
            String plain = create.apply(KeySpec.builder("plain").tenantId("92").scopes("events:read"));
            String expiring = create.apply(KeySpec.builder("expiring").tenantId("92").scopes("events:read")
                    .expiresAt(clock.instant().plus(Duration.ofHours(1))));
            String disabledExpiring = create.apply(KeySpec.builder("disabled-expiring").tenantId("92")
                    .scopes("events:read").expiresAt(clock.instant().plus(Duration.ofHours(1))));
            String disabled = create.apply(KeySpec.builder("disabled").tenantId("93").scopes("events:read"));
            String suspendedListed = create.apply(KeySpec.builder("suspended-listed").tenantId("93")
                    .scopes("events:read").allowedAddresses("127.0.0.1/32"));
            String bothLists = create.apply(KeySpec.builder("both-lists").tenantId("92").scopes("events:read")
                    .allowedAddresses("127.0.0.1/32").allowedCountries("DE"));
            String countryListed = create.apply(KeySpec.builder("country-listed").tenantId("92").scopes("events:read")
                    .allowedCountries("DE"));
            String policyOutsidePlan = create.apply(KeySpec.builder("policy-outside-plan").tenantId("94")
                    .scopes("events:read", "webhooks:write"));
            String policyLimited = create.apply(KeySpec.builder("policy-limited").tenantId("92").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(1)));
            String revokedExpiring = create.apply(KeySpec.builder("revoked-expiring").tenantId("92")
                    .scopes("events:read").expiresAt(clock.instant().plus(Duration.ofHours(1))));
            apiKeys.revoke(apiKeys.verify(revokedExpiring, null).principal().orElseThrow().keyId());
            apiKeys.disable(apiKeys.verify(disabledExpiring, null).principal().orElseThrow().keyId());
            apiKeys.disable(apiKeys.verify(disabled, null).principal().orElseThrow().keyId());
            apiKeys.tenants().suspend("93");
            apiKeys.tenants().setPlanScopes("94", List.of("events:read"));
            assertThat(apiKeys.verify(VerifyRequest.header(policyLimited).scope("events:read")).isGranted())
                    .as("the policy refuses it; its one call a minute is spent by nothing").isFalse();
            clock.advance(Duration.ofHours(2));

            java.util.function.BiFunction<String, VerifyRequest, Check> decided = (why, request) ->
                    apiKeys.verify(request).failedCheck().orElseThrow(() -> new AssertionError(why + ": granted"));
            String otherEnvironment = TestKeys.withHead(plain, "wlcrt");
            assertThat(decided.apply("header, format", VerifyRequest.header(plain.substring(1) + "\u0001")))
                    .isEqualTo(Check.HEADER);
            assertThat(decided.apply("format, environment", VerifyRequest.header(otherEnvironment.substring(1))))
                    .isEqualTo(Check.FORMAT);
            String unknownOtherEnvironment = TestKeys.withHead(withId(plain, "zzzzzzzz"), "wlcrt");
            assertThat(decided.apply("environment, key exists", VerifyRequest.header(unknownOtherEnvironment)))
                    .isEqualTo(Check.ENVIRONMENT);
            assertThat(decided.apply("secret, revoked",
                    VerifyRequest.header(TestKeys.withSecret(revokedExpiring, "w".repeat(32))))).isEqualTo(Check.SECRET);
            assertThat(decided.apply("revoked, expired", VerifyRequest.header(revokedExpiring)))
                    .isEqualTo(Check.REVOKED);
            assertThat(decided.apply("expired, disabled", VerifyRequest.header(disabledExpiring)))
                    .isEqualTo(Check.EXPIRED);
            assertThat(decided.apply("disabled, tenant active", VerifyRequest.header(disabled)))
                    .isEqualTo(Check.DISABLED);
            assertThat(decided.apply("tenant active, address",
                    VerifyRequest.header(suspendedListed).remoteAddress("127.0.0.2"))).isEqualTo(Check.TENANT_ACTIVE);
            assertThat(decided.apply("address, country",
                    VerifyRequest.header(bothLists).remoteAddress("127.0.0.2").country(() -> "FR")))
                    .isEqualTo(Check.ADDRESS);
            assertThat(decided.apply("country, tenant",
                    VerifyRequest.header(countryListed).country(() -> "FR").tenantId("93"))).isEqualTo(Check.COUNTRY);
            assertThat(decided.apply("tenant, scope", VerifyRequest.header(plain).tenantId("93").scope("events:write")))
                    .isEqualTo(Check.TENANT);
            assertThat(decided.apply("scope, plan", VerifyRequest.header(policyOutsidePlan).scope("events:write")))
                    .isEqualTo(Check.SCOPE);
            assertThat(decided.apply("plan, policy", VerifyRequest.header(policyOutsidePlan).scope("webhooks:write")))
                    .isEqualTo(Check.PLAN);
            assertThat(decided.apply("policy, rate limit", VerifyRequest.header(policyLimited).scope("events:read")))
                    .isEqualTo(Check.POLICY);
            // Each pair's second check, on its own, does fail: the pairs above test the order, not a check that passes.
            assertThat(decided.apply("key exists", VerifyRequest.header(withId(plain, "zzzzzzzz"))))
                    .isEqualTo(Check.KEY_EXISTS);
            assertThat(decided.apply("tenant active", VerifyRequest.header(suspendedListed).remoteAddress("127.0.0.1")))
                    .isEqualTo(Check.TENANT_ACTIVE);
            assertThat(decided.apply("country", VerifyRequest.header(bothLists).remoteAddress("127.0.0.1")
                    .country(() -> "FR"))).isEqualTo(Check.COUNTRY);
        }
    }

    /** The key with another key id and a recomputed checksum: well-formed, of an id the store does not know. */
    private static String withId(String plaintext, String id) {
        int token = plaintext.length() - dev.apikey.model.KeyFormat.TOKEN_LENGTH;
        return TestKeys.withChecksum(plaintext.substring(0, token) + id + plaintext.substring(
                token + dev.apikey.model.KeyFormat.KEY_ID_LENGTH,
                plaintext.length() - dev.apikey.model.KeyFormat.CHECKSUM_LENGTH));
    }
}
