package dev.apikey;

import dev.apikey.internal.KeyLayout;
import dev.apikey.model.KeyNotice;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Disables keys nobody uses: a key not granted for its idle time is disabled (reversibly, never revoked), after
 * a {@link KeyNotice.Kind#UNUSED} warning sent {@link #WARNING_AHEAD 7 days} before. The idle time is counted from
 * the key's last use, or from its creation if it was never used, so a key created within its idle time is never
 * disabled. A key is disabled once per idle stretch: one an administrator enables again stays enabled until it
 * is used and then idles for its whole idle time anew. A tenant's own idle time wins over its environment's, which wins over the default; a key none of them
 * covers is left alone. In a {@linkplain Builder#dryRun dry run} nothing is sent or disabled: the
 * {@link HygieneReport} and the log only say what would be.
 *
 * <pre>{@code
 * UnusedKeyPolicy.builder()
 *         .environment("prod", Duration.ofDays(90))
 *         .tenant("92", Duration.ofDays(30))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class UnusedKeyPolicy {

    /** How long before disabling a key its owner is warned: 7 days. */
    public static final Duration WARNING_AHEAD = Duration.ofDays(7);
    private static final Duration SHORTEST = Duration.ofDays(8);
    private static final Duration LONGEST = Duration.ofDays(3650);

    private final Duration defaultIdle;
    private final Map<String, Duration> environments;
    private final Map<String, Duration> tenants;
    private final boolean dryRun;

    private UnusedKeyPolicy(Builder b) {
        this.defaultIdle = b.defaultIdle;
        this.environments = Map.copyOf(b.environments);
        this.tenants = Map.copyOf(b.tenants);
        this.dryRun = b.dryRun;
    }

    /** {@return a builder covering no key yet} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the idle time after which this key is disabled; empty if the policy does not cover it}
     *
     * @param tenantId    the key's tenant, or {@code null}
     * @param environment the key's environment, or {@code null}
     */
    public Optional<Duration> idleTimeFor(String tenantId, String environment) {
        Duration d = tenantId == null ? null : tenants.get(tenantId);
        if (d == null && environment != null) {
            d = environments.get(environment);
        }
        return Optional.ofNullable(d != null ? d : defaultIdle);
    }

    /** {@return the shortest idle time of any rule} */
    Duration shortestIdle() {
        Duration shortest = defaultIdle;
        for (Duration d : environments.values()) {
            shortest = shortest == null || d.compareTo(shortest) < 0 ? d : shortest;
        }
        for (Duration d : tenants.values()) {
            shortest = shortest == null || d.compareTo(shortest) < 0 ? d : shortest;
        }
        return shortest;
    }

    /** {@return whether the policy only reports} */
    public boolean isDryRun() {
        return dryRun;
    }

    @Override
    public String toString() {
        return "UnusedKeyPolicy[default=" + defaultIdle + ", environments=" + environments + ", tenants=" + tenants
                + (dryRun ? ", dry run" : "") + "]";
    }

    /** Collects the rules of an {@link UnusedKeyPolicy}. Not thread-safe. */
    public static final class Builder {
        private Duration defaultIdle;
        private final Map<String, Duration> environments = new HashMap<>();
        private final Map<String, Duration> tenants = new HashMap<>();
        private boolean dryRun;

        private Builder() {
        }

        /**
         * The idle time of every key no tenant or environment rule covers.
         *
         * @param idle 8 to 3,650 days
         * @return this builder
         * @throws IllegalArgumentException if idle is out of that range
         */
        public Builder defaultIdle(Duration idle) {
            this.defaultIdle = requireIdle("defaultIdle", idle);
            return this;
        }

        /**
         * The idle time of the keys of one environment (e.g. {@code prod}).
         *
         * @param environment the environment, 1 to 32 of {@code [A-Za-z0-9_-]}
         * @param idle        8 to 3,650 days
         * @return this builder
         * @throws IllegalArgumentException if an argument breaks its rule
         */
        public Builder environment(String environment, Duration idle) {
            Objects.requireNonNull(environment, "environment");
            if (!environment.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("environment must be 1 to 32 of [A-Za-z0-9_-], was '"
                        + environment + "'");
            }
            environments.put(environment, requireIdle("idle", idle));
            return this;
        }

        /**
         * The idle time of one tenant's keys; wins over the environment's.
         *
         * @param tenantId the tenant
         * @param idle     8 to 3,650 days
         * @return this builder
         * @throws IllegalArgumentException if an argument breaks its rule
         */
        public Builder tenant(String tenantId, Duration idle) {
            String problem = KeyLayout.tenantProblem(tenantId);
            if (problem != null) {
                throw new IllegalArgumentException("tenantId " + problem);
            }
            tenants.put(tenantId, requireIdle("idle", idle));
            return this;
        }

        /**
         * Only report: send no warning and disable no key; the check's report and an INFO line per key say what
         * would happen.
         *
         * @param dryRun whether to only report
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * {@return the policy}
         *
         * @throws IllegalStateException if no rule was given
         */
        public UnusedKeyPolicy build() {
            if (defaultIdle == null && environments.isEmpty() && tenants.isEmpty()) {
                throw new IllegalStateException("an unused-key policy needs a defaultIdle, environment or tenant rule");
            }
            return new UnusedKeyPolicy(this);
        }

        private static Duration requireIdle(String name, Duration idle) {
            Objects.requireNonNull(idle, name);
            if (idle.compareTo(SHORTEST) < 0 || idle.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException(name + " must be 8 to 3650 days (the warning comes 7 days "
                        + "ahead), was " + idle);
            }
            return idle;
        }
    }
}
