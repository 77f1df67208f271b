package dev.apikey.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code apikey.*} properties. Every wrong value fails the start with a message naming the property and the
 * rule. The pepper is never logged, and {@link #toString()} leaves it out.
 */
@ConfigurationProperties("apikey")
public class ApiKeyProperties {

    /** This environment's key prefix, e.g. wlcro or k_live. Required. */
    private String prefix;

    /** The realm named in WWW-Authenticate on 401 answers. */
    private String realm = "api";

    /**
     * The base of each problem answer's type, followed by its code: e.g. https://docs.example.com/errors/ to point
     * clients at your own error pages. The default, urn:apikey:problem:, names no domain and is not fetched.
     */
    private String problemTypeBase = "urn:apikey:problem:";

    /** Scopes keys may hold and routes may require: name to description, e.g. events:read: Read events. */
    private Map<String, String> scopes = new LinkedHashMap<>();

    /** Wildcard scopes, e.g. events:*, each granting every scope under its prefix: name to description. */
    private Map<String, String> wildcardScopes = new LinkedHashMap<>();

    /** Super scopes granting every scope, e.g. admin: name to description. */
    private Map<String, String> superScopes = new LinkedHashMap<>();

    /**
     * Route rules, one per entry, in the servlet filter's syntax: METHOD /path -> scope, authenticated or public,
     * e.g. GET /api/v1/events -> events:read. A {tenantId} segment must match the key's tenant. A rule that needs a key
     * may end with its cost, cost=N (1 to 1000000, default 1), spent from the key's and its tenant's allowances: GET
     * /api/v1/search -> events:read cost=10.
     */
    private List<String> routes = new ArrayList<>();

    private final Hasher hasher = new Hasher();
    private final Cache cache = new Cache();
    private final RateLimit rateLimit = new RateLimit();
    private final Jdbc jdbc = new Jdbc();
    private final Admin admin = new Admin();
    /** Who is asking: trusted proxies and where a request's country comes from. */
    @org.springframework.boot.context.properties.NestedConfigurationProperty
    private final ApiKeyClientProperties client = new ApiKeyClientProperties();

    /** How often the key store's change feed is read, so another instance's revoke is seen. */
    private Duration changeFeedInterval = Duration.ofSeconds(1);
    /** How long a key's history is kept (issue 26 §3): 1d to 3650d. */
    private Duration historyRetention = Duration.ofDays(400);

    /** Issue 27: the verify counts (ApiKeys.usage()): whether kept, how often written, how long kept. */
    @org.springframework.boot.context.properties.NestedConfigurationProperty
    private final ApiKeyUsageProperties usage = new ApiKeyUsageProperties();

    /** Issue 27: the anomaly detection, off by default. */
    @org.springframework.boot.context.properties.NestedConfigurationProperty
    private final ApiKeyAnomalyProperties anomalies = new ApiKeyAnomalyProperties();

    /** Issue 27: key events as signed webhooks (needs dev.apikey:api-key-webhooks). */
    @org.springframework.boot.context.properties.NestedConfigurationProperty
    private final ApiKeyWebhookProperties webhooks = new ApiKeyWebhookProperties();

    /** @return the verify counts' settings ({@code apikey.usage.*}) */
    public ApiKeyUsageProperties getUsage() {
        return usage;
    }

    /** @return the anomaly detection's settings ({@code apikey.anomalies.*}) */
    public ApiKeyAnomalyProperties getAnomalies() {
        return anomalies;
    }

    /** @return the webhooks' settings ({@code apikey.webhooks.*}) */
    public ApiKeyWebhookProperties getWebhooks() {
        return webhooks;
    }

    /** The reactive (WebFlux) path: the scheduler a verify that may block is offloaded to. */
    @org.springframework.boot.context.properties.NestedConfigurationProperty
    private final ApiKeyWebFluxProperties webflux = new ApiKeyWebFluxProperties();

    /** @return the reactive (WebFlux) path's settings ({@code apikey.webflux.*}) */
    public ApiKeyWebFluxProperties getWebflux() {
        return webflux;
    }

    /** @return who is asking: trusted proxies and the country source ({@code apikey.client.*}) */
    public ApiKeyClientProperties getClient() {
        return client;
    }

    /** @return the prefix */
    public String getPrefix() {
        return prefix;
    }

    /** @param prefix the prefix */
    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    /** @return the realm */
    public String getRealm() {
        return realm;
    }

    /** @param realm the realm */
    public void setRealm(String realm) {
        this.realm = realm;
    }

    /** @return the problem type base */
    public String getProblemTypeBase() {
        return problemTypeBase;
    }

    /** @param problemTypeBase the problem type base */
    public void setProblemTypeBase(String problemTypeBase) {
        this.problemTypeBase = problemTypeBase;
    }

    /**
     * The realm, checked.
     *
     * @return the realm
     * @throws ApiKeyPropertyException unless 1 to 64 of {@code [A-Za-z0-9 ._-]}
     */
    public String validRealm() {
        return ApiKeySettings.realm(this);
    }

    /**
     * The problem type base, checked.
     *
     * @return the base
     * @throws ApiKeyPropertyException naming the rule, if the base cannot make absolute type URIs
     */
    public String validProblemTypeBase() {
        return ApiKeySettings.problemTypeBase(this);
    }

    /** @return the scopes */
    public Map<String, String> getScopes() {
        return scopes;
    }

    /** @param scopes the scopes */
    public void setScopes(Map<String, String> scopes) {
        this.scopes = scopes;
    }

    /** @return the wildcard scopes */
    public Map<String, String> getWildcardScopes() {
        return wildcardScopes;
    }

    /** @param wildcardScopes the wildcard scopes */
    public void setWildcardScopes(Map<String, String> wildcardScopes) {
        this.wildcardScopes = wildcardScopes;
    }

    /** @return the super scopes */
    public Map<String, String> getSuperScopes() {
        return superScopes;
    }

    /** @param superScopes the super scopes */
    public void setSuperScopes(Map<String, String> superScopes) {
        this.superScopes = superScopes;
    }

    /** @return the route rules */
    public List<String> getRoutes() {
        return routes;
    }

    /** @param routes the route rules */
    public void setRoutes(List<String> routes) {
        this.routes = routes;
    }

    /** @return the hasher settings */
    public Hasher getHasher() {
        return hasher;
    }

    /** @return the cache settings */
    public Cache getCache() {
        return cache;
    }

    /** @return the rate limits */
    public RateLimit getRateLimit() {
        return rateLimit;
    }

    /** @return the JDBC store settings */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @return the admin console settings */
    public Admin getAdmin() {
        return admin;
    }

    /** @return the change-feed interval */
    public Duration getChangeFeedInterval() {
        return changeFeedInterval;
    }

    /** @param changeFeedInterval the change-feed interval */
    public void setChangeFeedInterval(Duration changeFeedInterval) {
        this.changeFeedInterval = changeFeedInterval;
    }

    /** @return how long a key's history is kept */
    public Duration getHistoryRetention() {
        return historyRetention;
    }

    /** @param historyRetention how long a key's history is kept, 1d to 3650d */
    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = historyRetention;
    }

    @Override
    public String toString() {
        return "ApiKeyProperties[prefix=" + prefix + ", scopes=" + scopes.keySet() + ", routes=" + routes
                + ", hasher=" + hasher.type + "]";
    }

    /** How new secrets are hashed. */
    public static class Hasher {
        /** sha256 (the default: secrets carry ~190 random bits), hmac-sha256 (needs a pepper) or argon2id. */
        private String type = "sha256";
        /** The HMAC pepper, base64, at least 32 bytes; from the environment (APIKEY_HASHER_PEPPER). Never logged. */
        private String pepper;
        /** The id stored with each HMAC hash, to tell peppers apart when rotating them. */
        private String pepperId = "p1";
        /** Argon2id memory in KiB; at least the OWASP minimum (19456). */
        private int argon2MemoryKib = 19456;
        /** Argon2id passes; at least 2. */
        private int argon2Iterations = 2;
        /** Argon2id lanes. */
        private int argon2Parallelism = 1;

        /** @return the type */
        public String getType() {
            return type;
        }

        /** @param type the type */
        public void setType(String type) {
            this.type = type;
        }

        /** @return the pepper */
        public String getPepper() {
            return pepper;
        }

        /** @param pepper the pepper */
        public void setPepper(String pepper) {
            this.pepper = pepper;
        }

        /** @return the pepper id */
        public String getPepperId() {
            return pepperId;
        }

        /** @param pepperId the pepper id */
        public void setPepperId(String pepperId) {
            this.pepperId = pepperId;
        }

        /** @return the Argon2id memory */
        public int getArgon2MemoryKib() {
            return argon2MemoryKib;
        }

        /** @param argon2MemoryKib the Argon2id memory */
        public void setArgon2MemoryKib(int argon2MemoryKib) {
            this.argon2MemoryKib = argon2MemoryKib;
        }

        /** @return the Argon2id passes */
        public int getArgon2Iterations() {
            return argon2Iterations;
        }

        /** @param argon2Iterations the Argon2id passes */
        public void setArgon2Iterations(int argon2Iterations) {
            this.argon2Iterations = argon2Iterations;
        }

        /** @return the Argon2id lanes */
        public int getArgon2Parallelism() {
            return argon2Parallelism;
        }

        /** @param argon2Parallelism the Argon2id lanes */
        public void setArgon2Parallelism(int argon2Parallelism) {
            this.argon2Parallelism = argon2Parallelism;
        }

        @Override
        public String toString() {
            return "Hasher[" + type + "]";
        }
    }

    /** The verify cache. */
    public static class Cache {
        /** Keys held in the verify cache (about 365 bytes of heap each). */
        private long maximumSize = 100_000;
        /** Longest a cached key is used without reading the store. */
        private Duration maxStaleness = Duration.ofSeconds(60);
        /** How long an unknown key id is remembered; 0 turns it off. */
        private Duration negativeTtl = Duration.ofSeconds(2);

        /** @return the maximum size */
        public long getMaximumSize() {
            return maximumSize;
        }

        /** @param maximumSize the maximum size */
        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }

        /** @return the maximum staleness */
        public Duration getMaxStaleness() {
            return maxStaleness;
        }

        /** @param maxStaleness the maximum staleness */
        public void setMaxStaleness(Duration maxStaleness) {
            this.maxStaleness = maxStaleness;
        }

        /** @return the negative-cache time */
        public Duration getNegativeTtl() {
            return negativeTtl;
        }

        /** @param negativeTtl the negative-cache time */
        public void setNegativeTtl(Duration negativeTtl) {
            this.negativeTtl = negativeTtl;
        }
    }

    /**
     * Rate limits, as requests per s, min, h or d, e.g. 600/min, each counted per key. Allowances a tenant's keys share
     * are the tenant's record (the admin API's /tenants/{id}, apikey tenant limits), not a property.
     */
    public static class RateLimit {
        /** The rate limit of each key without its own (and without a tenant default), e.g. 600/min; none by default. */
        private String defaultLimit;
        /** Per tenant, the rate limit each of its keys without one of its own gets, counted per key, e.g. 6000/min. */
        private Map<String, String> tenantDefaultLimits = new LinkedHashMap<>();
        /** Whether a failing meter (its Redis or database down) refuses calls with 503 rather than lets them pass. */
        private boolean failClosed;

        /** @return whether a failing meter refuses */
        public boolean isFailClosed() {
            return failClosed;
        }

        /** @param failClosed whether a failing meter refuses */
        public void setFailClosed(boolean failClosed) {
            this.failClosed = failClosed;
        }

        /** @return the default limit */
        public String getDefaultLimit() {
            return defaultLimit;
        }

        /** @param defaultLimit the default limit */
        public void setDefaultLimit(String defaultLimit) {
            this.defaultLimit = defaultLimit;
        }

        /** @return per tenant, the rate limit of each of its keys without its own */
        public Map<String, String> getTenantDefaultLimits() {
            return tenantDefaultLimits;
        }

        /** @param tenantDefaultLimits per tenant, the rate limit of each of its keys without its own */
        public void setTenantDefaultLimits(Map<String, String> tenantDefaultLimits) {
            this.tenantDefaultLimits = tenantDefaultLimits;
        }
    }

    /** The JDBC key store, used when the context has a DataSource. */
    public static class Jdbc {
        /** The key table; its sequence, indexes and notices table are named after it. */
        private String tableName = "api_keys";
        /** Whether to create the table (and add later columns) at start. */
        private boolean createSchema = true;
        /** On PostgreSQL, push changes to other instances (LISTEN/NOTIFY; holds one pooled connection). */
        private boolean pushChanges = true;

        /** @return whether changes are pushed */
        public boolean isPushChanges() {
            return pushChanges;
        }

        /** @param pushChanges whether changes are pushed */
        public void setPushChanges(boolean pushChanges) {
            this.pushChanges = pushChanges;
        }

        /** @return the table name */
        public String getTableName() {
            return tableName;
        }

        /** @param tableName the table name */
        public void setTableName(String tableName) {
            this.tableName = tableName;
        }

        /** @return whether to create the schema */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /** @param createSchema whether to create the schema */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }
    }

    /** The key console and management API (needs dev.apikey:api-key-admin). */
    public static class Admin {
        /** Whether to mount the console and its API. */
        private boolean enabled;
        /** Where the console is mounted; the API is under {path}/api-keys/. */
        private String path = "/admin";
        /** The role (Spring Security or container) whose users manage every tenant's keys. */
        private String role = "APIKEY_ADMIN";
        /**
         * The origins the console and its API are served at (e.g. https://admin.example.com): other Host headers
         * are refused with 421, and changes from other origins with 403. Empty: the request's own origin.
         */
        private java.util.List<String> origins = new java.util.ArrayList<>();
        /**
         * Per role, the scopes its users may grant to the keys they create, edit or rotate, e.g.
         * {@code apikey.admin.grantable-scopes.SUPPORT=events:read}; a user in several roles grants what they grant
         * together, a super scope grants everything, and a user in none of them grants nothing (it still lists,
         * revokes and disables keys). Empty (the default): users of the admin role grant every scope but the super
         * scopes.
         */
        private java.util.Map<String, java.util.List<String>> grantableScopes = new java.util.LinkedHashMap<>();

        /** @return whether enabled */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether enabled */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path */
        public String getPath() {
            return path;
        }

        /** @param path the path */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return the role */
        public String getRole() {
            return role;
        }

        /** @param role the role */
        public void setRole(String role) {
            this.role = role;
        }

        /** @return per role, the scopes its users may grant; empty for every scope but the super scopes */
        public java.util.Map<String, java.util.List<String>> getGrantableScopes() {
            return grantableScopes;
        }

        /** @param grantableScopes per role, the scopes its users may grant */
        public void setGrantableScopes(java.util.Map<String, java.util.List<String>> grantableScopes) {
            this.grantableScopes = grantableScopes;
        }

        /** @return the origins the console and its API are served at; empty for the request's own */
        public java.util.List<String> getOrigins() {
            return origins;
        }

        /** @param origins the origins the console and its API are served at */
        public void setOrigins(java.util.List<String> origins) {
            this.origins = origins;
        }
    }
}
