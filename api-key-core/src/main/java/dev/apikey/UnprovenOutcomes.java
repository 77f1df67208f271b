package dev.apikey;

import dev.apikey.model.Failure;
import dev.apikey.model.UsageTotal;
import java.util.List;
import java.util.Set;

/**
 * The outcomes anybody can cause by naming a key id (a wrong secret, a throttle of wrong secrets) or that come before
 * the secret is checked: counted toward the key they name, but kept apart in the network sketch and never read by
 * the anomaly detection, so that nobody fires a tenant's anomalies by sending garbage with its key ids. Every other
 * outcome was earned with the key's secret.
 *
 * <p>Immutable. Package-private.
 */
final class UnprovenOutcomes {

    /** The codes. */
    static final Set<String> CODES = UsageTotal.UNPROVEN_OUTCOMES;

    /** By built-in failure index: whether it is one of {@link #CODES}. */
    private static final boolean[] BY_INDEX;

    static {
        List<Failure> builtIns = Failure.builtIns();
        BY_INDEX = new boolean[builtIns.size()];
        for (int i = 0; i < BY_INDEX.length; i++) {
            BY_INDEX[i] = CODES.contains(builtIns.get(i).code());
        }
    }

    private UnprovenOutcomes() {
    }

    /** {@return whether the built-in failure of this index is unproven; host failures ({@code -1}) never are} */
    static boolean isUnproven(int builtInIndex) {
        return builtInIndex >= 0 && BY_INDEX[builtInIndex];
    }
}
