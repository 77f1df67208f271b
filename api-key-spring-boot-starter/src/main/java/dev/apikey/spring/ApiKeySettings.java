package dev.apikey.spring;

import dev.apikey.ApiKeysBuilder;
import dev.apikey.hash.Argon2idHasher;
import dev.apikey.hash.HmacSha256Hasher;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.servlet.Route;
import dev.apikey.spi.SecretHasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@link ApiKeyProperties} into the core's objects. Every refusal is an {@link ApiKeyPropertyException}
 * naming the property, its value (never the pepper's) and the rule, so the start fails saying what to fix.
 */
final class ApiKeySettings {

    private ApiKeySettings() {
    }

    static ScopeCatalog catalog(ApiKeyProperties p) {
        if (p.getScopes().isEmpty() && p.getWildcardScopes().isEmpty() && p.getSuperScopes().isEmpty()) {
            throw new ApiKeyPropertyException("apikey.scopes", null, "must declare at least one scope, e.g. "
                    + "apikey.scopes.[events:read]=Read events", null);
        }
        ScopeCatalog.Builder b = ScopeCatalog.builder();
        add("apikey.scopes", p.getScopes(), b::scope);
        add("apikey.wildcard-scopes", p.getWildcardScopes(), b::wildcard);
        add("apikey.super-scopes", p.getSuperScopes(), b::superScope);
        try {
            return b.build();
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException("apikey.scopes", null, e.getMessage(), e);
        }
    }

    private interface Adder {
        void add(String name, String description);
    }

    private static void add(String property, Map<String, String> scopes, Adder adder) {
        scopes.forEach((name, description) -> {
            try {
                adder.add(name, description);
            } catch (RuntimeException e) {
                throw new ApiKeyPropertyException(property + "[" + name + "]", description, e.getMessage(), e);
            }
        });
    }

    /** The route rules, each parsed and its scope checked against the catalog. */
    static List<Route> routes(ApiKeyProperties p, ScopeCatalog catalog) {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < p.getRoutes().size(); i++) {
            String rule = p.getRoutes().get(i);
            Route route;
            try {
                route = Route.parse(rule);
            } catch (RuntimeException e) {
                throw new ApiKeyPropertyException("apikey.routes[" + i + "]", rule, e.getMessage(), e);
            }
            if (route.scope() != null && catalog.find(route.scope()).isEmpty()) {
                throw new ApiKeyPropertyException("apikey.routes[" + i + "]", rule, "requires scope '" + route.scope() + "', which apikey.scopes does not declare", null);
            }
            routes.add(route);
        }
        return routes;
    }

    static SecretHasher hasher(ApiKeyProperties.Hasher h) {
        String type = h.getType() == null ? "" : h.getType().toLowerCase(Locale.ROOT);
        switch (type) {
            case "sha256":
                return Sha256Hasher.create();
            case "hmac-sha256":
                if (h.getPepper() == null || h.getPepper().isBlank()) {
                    throw new ApiKeyPropertyException("apikey.hasher.pepper", null, "must be set (base64, at least "
                            + HmacSha256Hasher.MIN_PEPPER_BYTES + " bytes) when apikey.hasher.type is hmac-sha256",
                            null);
                }
                byte[] pepper;
                try {
                    pepper = Base64.getDecoder().decode(h.getPepper().strip());
                } catch (IllegalArgumentException e) {
                    // The value itself is never quoted.
                    throw new ApiKeyPropertyException("apikey.hasher.pepper", null, "must be base64 (the value is not shown)",
                            null);
                }
                try {
                    return HmacSha256Hasher.builder().pepper(h.getPepperId(), pepper).build();
                } catch (RuntimeException e) {
                    throw new ApiKeyPropertyException("apikey.hasher.pepper", null, e.getMessage(), null);
                } finally {
                    java.util.Arrays.fill(pepper, (byte) 0);
                }
            case "argon2id":
                try {
                    return Argon2idHasher.builder().memoryKiB(h.getArgon2MemoryKib()).iterations(h.getArgon2Iterations())
                            .parallelism(h.getArgon2Parallelism()).build();
                } catch (RuntimeException e) {
                    throw new ApiKeyPropertyException("apikey.hasher", null, e.getMessage(), e);
                }
            default:
                throw new ApiKeyPropertyException("apikey.hasher.type", String.valueOf(h.getType()),
                        "must be one of sha256, hmac-sha256, argon2id", null);
        }
    }

    /** The realm, checked as {@code ApiKeyFilter} checks it. */
    static String realm(ApiKeyProperties p) {
        String realm = p.getRealm();
        if (realm == null || !realm.matches("[A-Za-z0-9 ._-]{1,64}")) {
            throw new ApiKeyPropertyException("apikey.realm", realm, "must be 1 to 64 of [A-Za-z0-9 ._-], e.g. api", null);
        }
        return realm;
    }

    /** The problem type base, checked by {@link dev.apikey.ProblemTypes#requireBase(String)}. */
    static String problemTypeBase(ApiKeyProperties p) {
        try {
            return dev.apikey.ProblemTypes.requireBase(p.getProblemTypeBase());
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException("apikey.problem-type-base", p.getProblemTypeBase(),
                    e.getMessage().replaceFirst("^problem type base ", ""), null);
        }
    }

    /** {@code 600/min}: requests per s, min, h or d. */
    static RateLimit rateLimit(String property, String text) {
        int slash = text.indexOf('/');
        Duration period = slash < 0 ? null : switch (text.substring(slash + 1).strip()) {
            case "s" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> null;
        };
        if (period == null || !text.substring(0, slash).strip().matches("[1-9][0-9]{0,9}")) {
            throw new ApiKeyPropertyException(property, text, "must be requests per s, min, h or d, like 600/min", null);
        }
        return new RateLimit(Long.parseLong(text.substring(0, slash).strip()), period);
    }

    /** The builder's settings from the properties; each setter's refusal names its property. */
    static void configure(ApiKeysBuilder b, ApiKeyProperties p) {
        if (p.getPrefix() == null || p.getPrefix().isBlank()) {
            throw new ApiKeyPropertyException("apikey.prefix", p.getPrefix(), "must be set to this environment's key prefix, "
                    + "e.g. wlcro", null);
        }
        // Checked here too, so that a wrong one fails every start, not only a web application's.
        realm(p);
        problemTypeBase(p);
        set("apikey.prefix", p.getPrefix(), () -> b.prefix(p.getPrefix()));
        set("apikey.cache.maximum-size", p.getCache().getMaximumSize(),
                () -> b.cacheMaximumSize(p.getCache().getMaximumSize()));
        set("apikey.cache.max-staleness", p.getCache().getMaxStaleness(),
                () -> b.cacheMaxStaleness(p.getCache().getMaxStaleness()));
        set("apikey.cache.negative-ttl", p.getCache().getNegativeTtl(),
                () -> b.negativeCacheTtl(p.getCache().getNegativeTtl()));
        set("apikey.change-feed-interval", p.getChangeFeedInterval(),
                () -> b.changeFeedPollInterval(p.getChangeFeedInterval()));
        set("apikey.history-retention", p.getHistoryRetention(),
                () -> b.historyRetention(p.getHistoryRetention()));
        String limit = p.getRateLimit().getDefaultLimit();
        if (limit != null) {
            b.defaultRateLimit(rateLimit("apikey.rate-limit.default-limit", limit));
        }
        p.getRateLimit().getTenantDefaultLimits().forEach((tenant, text) -> {
            RateLimit l = rateLimit("apikey.rate-limit.tenant-default-limits[" + tenant + "]", text);
            set("apikey.rate-limit.tenant-default-limits[" + tenant + "]", text, () -> b.defaultRateLimit(tenant, l));
        });
        p.getUsage().configure(b);
        b.meterFailClosed(p.getRateLimit().isFailClosed());
        b.allowUnknownCountry(p.getClient().getCountry().isAllowUnknown());
        // Checked even while off, so that a wrong value is found before someone turns the detection on.
        dev.apikey.AnomalyPolicy anomalyPolicy = p.getAnomalies().policy();
        if (p.getAnomalies().isEnabled()) {
            if (Boolean.FALSE.equals(p.getUsage().getCounting())) {
                throw new ApiKeyPropertyException("apikey.usage.counting", "false", "must stay on (true) while "
                        + "apikey.anomalies.enabled is true: the anomaly detection reads the verify counts", null);
            }
            b.anomalyDetection(anomalyPolicy);
        }
    }

    static void set(String property, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (RuntimeException e) {
            throw new ApiKeyPropertyException(property, String.valueOf(value), e.getMessage(), e);
        }
    }
}
