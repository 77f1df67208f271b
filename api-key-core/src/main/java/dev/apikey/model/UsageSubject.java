package dev.apikey.model;

import dev.apikey.internal.KeyLayout;
import java.util.Objects;

/**
 * Whose usage: one key, one tenant (all its keys together), or the one "unknown" series that holds refusals naming
 * no key the store knows (malformed keys, unknown ids), which never count toward the tenant their text names.
 *
 * <p>Immutable.
 *
 * @param kind a key, a tenant, or the unknown series
 * @param id   the key id or tenant id; {@code null} for the unknown series
 */
public record UsageSubject(Kind kind, String id) {

    /** What a subject is. */
    public enum Kind {
        /** One key, by its id. */
        KEY,
        /** All keys of one tenant. */
        TENANT,
        /** Refusals that name no key known to the store. */
        UNKNOWN
    }

    /**
     * Checks the subject.
     *
     * @throws IllegalArgumentException if the id breaks its rule or is given for the unknown series
     *
     * @param kind see the record
     * @param id see the record
     */
    public UsageSubject {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case KEY -> {
                Objects.requireNonNull(id, "keyId");
                if (id.length() != KeyLayout.LOOKUP_ID_LENGTH || !id.chars().allMatch(c -> c < 128
                        && Character.isLetterOrDigit(c))) {
                    throw new IllegalArgumentException("keyId must be " + KeyLayout.LOOKUP_ID_LENGTH
                            + " letters or digits");
                }
            }
            case TENANT -> {
                Objects.requireNonNull(id, "tenantId");
                String problem = KeyLayout.tenantProblem(id);
                if (problem != null) {
                    throw new IllegalArgumentException("tenantId " + problem);
                }
            }
            default -> {
                if (id != null) {
                    throw new IllegalArgumentException("the unknown series has no id");
                }
            }
        }
    }

    /**
     * @param keyId the key's id
     * @return the usage of one key
     */
    public static UsageSubject key(String keyId) {
        return new UsageSubject(Kind.KEY, keyId);
    }

    /**
     * @param tenantId the tenant
     * @return the usage of all keys of one tenant
     */
    public static UsageSubject tenant(String tenantId) {
        return new UsageSubject(Kind.TENANT, tenantId);
    }

    /** {@return the series of refusals that named no known key} */
    public static UsageSubject unknown() {
        return new UsageSubject(Kind.UNKNOWN, null);
    }
}
