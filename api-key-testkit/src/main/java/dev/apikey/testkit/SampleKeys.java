package dev.apikey.testkit;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Keys of every status and label for paging tests, from a seed: mixed-case ids (so that a collation that sorts
 * {@code a} before {@code B} shows), names with SQL {@code LIKE}'s wildcards and letters beyond ASCII, dates on both
 * sides of {@code now}; and the filters a store's {@code findPage} is held to, each alone and some combined.
 */
public final class SampleKeys {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String[] NAMES = {"crm-sync", "CRM_export", "billing 100%", "Ünïcode", "deploy_bot", "x",
        "\u212Aelvin", "Zürich Ölkonto"};

    private SampleKeys() {
    }

    /**
     * {@return {@code n} keys with distinct random ids, their tenants drawn from {@code tenants}}
     *
     * @param n       how many
     * @param seed    the random seed: the same seed gives the same keys
     * @param now     the time the statuses are spread around
     * @param tenants the tenants to draw from; {@code null} among them for tenant-less keys
     */
    public static List<StoredKey> varied(int n, long seed, Instant now, String... tenants) {
        Random r = new Random(seed);
        Set<String> ids = new HashSet<>();
        List<StoredKey> keys = new ArrayList<>(n);
        while (keys.size() < n) {
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                id.append(BASE62.charAt(r.nextInt(BASE62.length())));
            }
            if (!ids.add(id.toString())) {
                continue;
            }
            Instant created = now.minus(Duration.ofDays(30 + r.nextInt(300)));
            String tenant = tenants[r.nextInt(tenants.length)];
            KeySpec.Builder a = KeySpec.builder(NAMES[r.nextInt(NAMES.length)] + "-" + r.nextInt(50))
                    .scopes("events:read");
            if (tenant != null) {
                a.tenantId(tenant);
            }
            StoredKey.Builder b = StoredKey.builder(id.toString()).secretHash("$sha256$c2FsdA$" + id).createdAt(created);
            switch (r.nextInt(8)) {
                case 0 -> b.revokedAt(now.minusSeconds(r.nextInt(86_400) + 1));
                case 1 -> a.expiresAt(now.minusSeconds(r.nextInt(86_400)));
                case 2 -> b.disabledAt(now.minusSeconds(60));
                case 3 -> {
                    b.replacedBy("AAAAAAAA");
                    a.expiresAt(now.plusSeconds(3600));
                }
                case 4 -> a.expiresAt(now.plus(Duration.ofDays(r.nextInt(20) + 1)));
                default -> { }
            }
            if (r.nextBoolean()) {
                a.environment(r.nextBoolean() ? "prod" : "staging");
            }
            if (r.nextInt(3) == 0) {
                a.owner(r.nextBoolean() ? "team-crm" : "team-billing");
            }
            if (r.nextInt(3) == 0) {
                a.rotateBy(now.plus(Duration.ofDays(r.nextInt(40) - 20)));
            }
            if (r.nextBoolean()) {
                b.lastUsedAt(now.minus(Duration.ofDays(r.nextInt(60))));
            }
            keys.add(b.attributes(a.build()).build());
        }
        return keys;
    }

    /**
     * {@return a filter of each kind, alone and combined, for the tenants given}
     *
     * @param now     the time statuses and dates are judged at
     * @param tenants the tenants, or {@code null} for every key
     */
    public static List<KeyFilter> filters(Instant now, Set<String> tenants) {
        List<KeyFilter> filters = new ArrayList<>();
        filters.add(new KeyFilter(tenants, null, null, null, null, null, false, null, null, now));
        for (ApiKeyInfo.Status s : ApiKeyInfo.Status.values()) {
            filters.add(new KeyFilter(tenants, s, null, null, null, null, false, null, null, now));
        }
        filters.add(new KeyFilter(tenants, null, "prod", null, null, null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, "team-crm", null, null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, "crm", null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, "100%", null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, "_e", null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, "ÜNÏ", null, false, null, null, now));
        // Java lower-cases the Kelvin sign to an ASCII k: a name the SQL's LIKE alone would miss.
        filters.add(new KeyFilter(tenants, null, null, null, "kelv", null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, "ölk", null, false, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, null, now.minus(Duration.ofDays(30)), false, null, null,
                now));
        filters.add(new KeyFilter(tenants, null, null, null, null, null, true, null, null, now));
        filters.add(new KeyFilter(tenants, null, null, null, null, null, false, now.plus(Duration.ofDays(7)), null,
                now));
        filters.add(new KeyFilter(tenants, ApiKeyInfo.Status.ACTIVE, "prod", null, "sync", now.minus(Duration.ofDays(10)),
                false, now.plus(Duration.ofDays(15)), "M", now));
        filters.add(new KeyFilter(tenants, null, null, null, null, null, false, null, "a", now));
        return filters;
    }

    /**
     * {@return some of {@link #filters} in every order: each sort column, ascending and descending}
     *
     * @param now     the time statuses and dates are judged at
     * @param tenants the tenants, or {@code null} for every key
     */
    public static List<KeyFilter> sorted(Instant now, Set<String> tenants) {
        List<KeyFilter> base = List.of(
                new KeyFilter(tenants, null, null, null, null, null, false, null, null, now),
                new KeyFilter(tenants, ApiKeyInfo.Status.ACTIVE, null, null, null, null, false, null, null, now),
                new KeyFilter(tenants, null, null, null, "crm", null, false, null, null, now),
                new KeyFilter(tenants, null, "prod", null, null, now.minus(Duration.ofDays(30)), false, null, null,
                        now));
        List<KeyFilter> out = new ArrayList<>();
        for (KeyFilter f : base) {
            for (KeyFilter.Sort sort : KeyFilter.Sort.values()) {
                out.add(f.sorted(sort, false));
                out.add(f.sorted(sort, true));
            }
        }
        return out;
    }
}
