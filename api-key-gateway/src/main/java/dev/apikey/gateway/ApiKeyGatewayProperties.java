package dev.apikey.gateway;

import dev.apikey.forwarded.ForwardedHeaders;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code apikey.gateway.*} properties. {@link #toString()} never shows the secret.
 */
@ConfigurationProperties(prefix = "apikey.gateway")
public final class ApiKeyGatewayProperties {

    /** Whether the gateway filters are configured at all. */
    private boolean enabled = true;
    /**
     * The secret the gateway signs the forwarded caller with, shared with the upstream's ForwardedCallerFilter:
     * required, at least 32 bytes (e.g. 48 random bytes in base64). Never logged.
     */
    private String secret;
    /** Whether every route needs a valid key; if false, only routes with an ApiKey=<scope> filter do. */
    private boolean requireKey = true;
    /** Ids of the routes that need no key (their incoming forwarded-caller headers are still removed). */
    private List<String> publicRoutes = new ArrayList<>();
    /** The realm named in WWW-Authenticate. */
    private String realm = "api";
    /** The base of each problem's type, followed by its code. */
    private String problemTypeBase = dev.apikey.ProblemTypes.DEFAULT_BASE;
    /** Threads for the verifies that may block (a store load, a stored-hash check). */
    private int verifyThreads = 16;
    /** Verifies that may wait for a thread; beyond them a request is answered 503 overloaded. */
    private int verifyQueue = 1000;
    /** The forwarded headers' names. */
    private final Headers headers = new Headers();

    /** @return whether the filters are configured */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the filters are configured */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the signing secret */
    public String getSecret() {
        return secret;
    }

    /** @param secret the signing secret */
    public void setSecret(String secret) {
        this.secret = secret;
    }

    /** @return whether every route needs a valid key */
    public boolean isRequireKey() {
        return requireKey;
    }

    /** @param requireKey whether every route needs a valid key */
    public void setRequireKey(boolean requireKey) {
        this.requireKey = requireKey;
    }

    /** @return the ids of the routes that need no key */
    public List<String> getPublicRoutes() {
        return publicRoutes;
    }

    /** @param publicRoutes the ids of the routes that need no key */
    public void setPublicRoutes(List<String> publicRoutes) {
        this.publicRoutes = publicRoutes;
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

    /** @return the verify threads */
    public int getVerifyThreads() {
        return verifyThreads;
    }

    /** @param verifyThreads the verify threads */
    public void setVerifyThreads(int verifyThreads) {
        this.verifyThreads = verifyThreads;
    }

    /** @return the verify queue's length */
    public int getVerifyQueue() {
        return verifyQueue;
    }

    /** @param verifyQueue the verify queue's length */
    public void setVerifyQueue(int verifyQueue) {
        this.verifyQueue = verifyQueue;
    }

    /** @return the forwarded headers' names */
    public Headers getHeaders() {
        return headers;
    }

    /** The forwarded headers' names; the upstream's {@code ForwardedHeaders} must name the same. */
    public static final class Headers {
        /** The key id's header. */
        private String keyId = ForwardedHeaders.DEFAULTS.keyId();
        /** The tenant's header. */
        private String tenant = ForwardedHeaders.DEFAULTS.tenant();
        /** The scopes' header. */
        private String scopes = ForwardedHeaders.DEFAULTS.scopes();
        /** The signing time's header. */
        private String timestamp = ForwardedHeaders.DEFAULTS.timestamp();
        /** The signature's header. */
        private String signature = ForwardedHeaders.DEFAULTS.signature();

        /** @return the key id's header */
        public String getKeyId() {
            return keyId;
        }

        /** @param keyId the key id's header */
        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }

        /** @return the tenant's header */
        public String getTenant() {
            return tenant;
        }

        /** @param tenant the tenant's header */
        public void setTenant(String tenant) {
            this.tenant = tenant;
        }

        /** @return the scopes' header */
        public String getScopes() {
            return scopes;
        }

        /** @param scopes the scopes' header */
        public void setScopes(String scopes) {
            this.scopes = scopes;
        }

        /** @return the signing time's header */
        public String getTimestamp() {
            return timestamp;
        }

        /** @param timestamp the signing time's header */
        public void setTimestamp(String timestamp) {
            this.timestamp = timestamp;
        }

        /** @return the signature's header */
        public String getSignature() {
            return signature;
        }

        /** @param signature the signature's header */
        public void setSignature(String signature) {
            this.signature = signature;
        }

        /** {@return the names, checked} */
        public ForwardedHeaders toNames() {
            return new ForwardedHeaders(keyId, tenant, scopes, timestamp, signature);
        }
    }

    @Override
    public String toString() {
        return "ApiKeyGatewayProperties[enabled=" + enabled + ", secret=" + (secret == null ? "unset" : "(hidden)")
                + ", requireKey=" + requireKey + ", publicRoutes=" + publicRoutes + "]";
    }
}
