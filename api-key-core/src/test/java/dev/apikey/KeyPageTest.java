package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiKeys#listPage}: the same pages from the in-memory store and from a store that keeps
 * {@link dev.apikey.spi.KeyStore#findPage}'s default (filtering {@code findByTenant}/{@code findAll}), every new
 * filter of {@link KeyQuery}, and its arguments checked.
 */
class KeyPageTest {

    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    private final CountingKeyStore defaultStore = new CountingKeyStore();
    private final ApiKeys memory = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock).build();
    private final ApiKeys withDefault = ApiKeys.builder().prefix("wlcro").store(defaultStore)
            .scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2()).clock(clock).build();

    @AfterEach
    void close() {
        memory.close();
        withDefault.close();
    }

    @Test
    void bothStoresPageTheSameFilteredKeysInKeyIdOrder() {
        for (ApiKeys apiKeys : List.of(memory, withDefault)) {
            for (int i = 0; i < 7; i++) {
                KeySpec.Builder spec = KeySpec.builder(i % 2 == 0 ? "CRM-sync-" + i : "billing-" + i)
                        .tenantId(i < 5 ? "92" : "93").scopes("events:read");
                if (i % 3 == 0) {
                    spec.environment("prod").owner("team-crm");
                }
                if (i == 2) {
                    spec.expiresAt(clock.instant().plus(Duration.ofDays(1)));
                }
                IssuedKey key = apiKeys.create(spec.build());
                if (i == 1) {
                    apiKeys.revoke(key.info().keyId());
                }
            }
        }
        clock.advance(Duration.ofDays(2));
        List<KeyQuery> queries = List.of(KeyQuery.all(), KeyQuery.tenant("92"), KeyQuery.tenants(Set.of("92", "93")),
                KeyQuery.tenants(Set.of()), KeyQuery.all().status(ApiKeyInfo.Status.ACTIVE),
                KeyQuery.tenant("92").status(ApiKeyInfo.Status.REVOKED), KeyQuery.all().environment("prod"),
                KeyQuery.all().owner("team-crm"), KeyQuery.all().nameContains("crm"),
                KeyQuery.tenant("92").nameContains("CRM").status(ApiKeyInfo.Status.EXPIRED));
        for (KeyQuery query : queries) {
            List<String> expected = memory.list(query).stream().map(ApiKeyInfo::keyId).sorted().toList();
            assertThat(pageThrough(memory, query)).as(query.toString()).containsExactlyElementsOf(expected);
            assertThat(pageThrough(withDefault, query).stream().map(id -> name(withDefault, id)).toList())
                    .as(query.toString()).containsExactlyInAnyOrderElementsOf(
                            expected.stream().map(id -> name(memory, id)).toList());
            assertThat(pageThrough(withDefault, query)).isSorted();
        }
        assertThat(pageThrough(memory, KeyQuery.all().nameContains("crm"))).hasSize(4);
        assertThat(pageThrough(memory, KeyQuery.all().status(ApiKeyInfo.Status.EXPIRED))).hasSize(1);
        assertThat(pageThrough(memory, KeyQuery.tenants(Set.of()))).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedNamingTheRule() {
        assertThatIllegalArgumentException().isThrownBy(() -> memory.listPage(KeyQuery.all(), "short", 10))
                .withMessageStartingWith("afterKeyId ");
        assertThatIllegalArgumentException().isThrownBy(() -> memory.listPage(KeyQuery.all(), null, 0))
                .withMessage("limit must be 1 to 1000, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> memory.listPage(KeyQuery.all(), null, 1001))
                .withMessage("limit must be 1 to 1000, was 1001");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.all().environment("e".repeat(33)))
                .withMessage("environment must be 1 to 32 characters, was 33");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.all().owner(""))
                .withMessage("owner must be 1 to 200 characters, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.all().nameContains("n".repeat(101)))
                .withMessage("name must be 1 to 100 characters, was 101");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.tenants(List.of("92", "bad tenant")))
                .withMessageStartingWith("tenantId ");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyQuery.all().expiringWithin(Duration.ZERO))
                .withMessageStartingWith("within must be 1 minute to 3650 days");
    }

    private static String name(ApiKeys apiKeys, String keyId) {
        return apiKeys.get(keyId).orElseThrow().attributes().name();
    }

    /** Every key of the query, two a page. */
    private static List<String> pageThrough(ApiKeys apiKeys, KeyQuery query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 50; pages++) {
            KeyPage page = apiKeys.listPage(query, cursor, 2);
            page.keys().forEach(k -> ids.add(k.keyId()));
            cursor = page.nextCursor().orElse(null);
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("more than 50 pages");
    }

    @Test
    void aSortedQueryPagesInItsOrderAndRefusesACursorOfAnotherOrder() {
        for (int i = 0; i < 9; i++) {
            KeySpec.Builder spec = KeySpec.builder("key-" + (i % 4)).tenantId("92").scopes("events:read");
            if (i % 2 == 0) {
                spec.expiresAt(clock.instant().plus(Duration.ofDays(1 + i)));
            }
            memory.create(spec.build());
        }
        KeyQuery byExpiry = KeyQuery.tenant("92").sortedBy(dev.apikey.spi.KeyFilter.Sort.EXPIRES, true);
        List<String> expected = new ArrayList<>();
        memory.list(KeyQuery.tenant("92")).stream().sorted(java.util.Comparator
                .<ApiKeyInfo, Boolean>comparing(k -> k.attributes().expiresAt().isEmpty())
                .thenComparing(k -> k.attributes().expiresAt().orElse(null),
                        java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
                .thenComparing(ApiKeyInfo::keyId, java.util.Comparator.reverseOrder()))
                .forEach(k -> expected.add(k.keyId()));
        assertThat(pageThrough(memory, byExpiry)).containsExactlyElementsOf(expected);

        String cursor = memory.listPage(byExpiry, null, 2).nextCursor().orElseThrow();
        assertThat(cursor).doesNotContain("$");
        assertThatIllegalArgumentException().as("another order").isThrownBy(() -> memory.listPage(
                KeyQuery.tenant("92").sortedBy(dev.apikey.spi.KeyFilter.Sort.EXPIRES, false), cursor, 2));
        assertThatIllegalArgumentException().as("a key id cursor").isThrownBy(() -> memory.listPage(
                byExpiry, expected.get(1), 2));
        assertThatIllegalArgumentException().as("a forged value").isThrownBy(() -> memory.listPage(
                byExpiry, cursor.substring(0, 10) + "~not-an-instant", 2));
        assertThatIllegalArgumentException().as("past year 9999").isThrownBy(() -> memory.listPage(
                byExpiry, cursor.substring(0, 10) + "~+10000-01-01T00:00:00Z", 2));
    }
}
