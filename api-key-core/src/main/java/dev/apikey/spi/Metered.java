package dev.apikey.spi;

import dev.apikey.model.Allowance;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import java.util.Objects;

/**
 * One allowance and what it is counted under: {@code key:<lineage id>} for a key's own allowance (the lineage, so a
 * rotation continues it) or {@code tenant:<tenant id>} for one that all of a tenant's keys share. A {@link Meter}
 * keeps one count per subject, kind and name: a changed limit under the same name counts on from where it was, and
 * takes effect at once.
 *
 * @param subject   what is counted, 1 to 100 of {@code [A-Za-z0-9:_-]}, e.g. {@code key:Zx81aBq0}
 * @param allowance the allowance
 */
public record Metered(String subject, Allowance allowance) {

    /** Longest subject, in characters. */
    public static final int MAX_SUBJECT_LENGTH = 100;

    /**
     * Checks the subject.
     *
     * @param subject   what is counted, 1 to 100 of {@code [A-Za-z0-9:_-]}
     * @param allowance the allowance
     * @throws NullPointerException     if either is null, naming it
     * @throws IllegalArgumentException if the subject breaks its rule, naming it
     */
    public Metered {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(allowance, "allowance");
        if (!validSubject(subject)) {
            String shown = subject.length() > 40 ? subject.substring(0, 40) + "..." : subject;
            throw new IllegalArgumentException("subject must be 1 to " + MAX_SUBJECT_LENGTH
                    + " of [A-Za-z0-9:_-], was '" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
    }

    /**
     * {@return a key's own allowance, counted under {@code key:<lineageId>}}
     *
     * @param lineageId the key's lineage ({@link StoredKey#lineage()})
     * @param allowance the allowance
     * @throws IllegalArgumentException if the id makes the subject break its rule
     */
    public static Metered key(String lineageId, Allowance allowance) {
        return new Metered("key:" + Objects.requireNonNull(lineageId, "lineageId"), allowance);
    }

    /**
     * {@return an allowance all of a tenant's keys share, counted under {@code tenant:<tenantId>}}
     *
     * @param tenantId  the tenant
     * @param allowance the allowance
     * @throws IllegalArgumentException if the id makes the subject break its rule
     */
    public static Metered tenant(String tenantId, Allowance allowance) {
        return new Metered("tenant:" + Objects.requireNonNull(tenantId, "tenantId"), allowance);
    }

    /**
     * {@return the allowance's kind as a backend stores it: {@code r} for a rate limit, {@code qd} or {@code qm} for
     * a quota per day or month}; with the subject and the name, it identifies a count
     */
    public String kind() {
        if (allowance instanceof Quota q) {
            return q.period() == Quota.Period.DAY ? "qd" : "qm";
        }
        return "r";
    }

    /**
     * {@return whether the other counts under the same subject, kind and name (its limit may differ)}
     *
     * @param other another metered allowance
     */
    public boolean sameCount(Metered other) {
        return subject.equals(other.subject) && allowance.name().equals(other.allowance.name())
                && sameKind(allowance, other.allowance);
    }

    private static boolean sameKind(Allowance a, Allowance b) {
        if (a instanceof RateLimit) {
            return b instanceof RateLimit;
        }
        return b instanceof Quota qb && ((Quota) a).period() == qb.period();
    }

    private static boolean validSubject(String s) {
        int n = s.length();
        if (n < 1 || n > MAX_SUBJECT_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':'
                    || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
