package dev.apikey;

import dev.apikey.model.Allowance;
import dev.apikey.model.RateLimit;
import dev.apikey.model.Verification;
import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cached key's calls are counted against: one batch for the {@link dev.apikey.spi.Meter}, compiled when the
 * key is loaded. The key's own allowances (a key without a rate limit of its own gets the configured default), counted
 * under its lineage (the id of the first key of its rotations, so a rotated key's successor continues the same
 * windows and the overlap does not double them), then its tenant's shared allowances, counted under the tenant. One
 * object behind one pointer in {@link CachedKey}, read only by keys that have one.
 *
 * <p>Immutable but for its cache of each allowance's last refusal, which only {@link #lastRefusal} and
 * {@link #remember} read and write (without a lock: see {@link Refusal}). Package-private.
 *
 * @param batch     the allowances in the order given to the meter: the key's, then the tenant's
 * @param prepared  the batch as the meter prepared it, spent through on each call
 * @param tenantsFrom the index in {@code batch} where the tenant's allowances start
 * @param hasRate   whether a rate limit is among them
 * @param lastRefusals per allowance, its last refusal, or {@code null}
 */
record Spending(List<Metered> batch, Meter.Prepared prepared, int tenantsFrom, boolean hasRate,
        Refusal[] lastRefusals) {

    /**
     * The last refusal of one allowance, kept so that a flood of refusals of the same wait allocates nothing: the
     * same allowance, whose and wait (and, for a quota, reset) give the same answer. Written and read without a lock:
     * an immutable object, so a reader sees one whole or an older one.
     *
     * @param seconds      the {@code Retry-After} of the answer
     * @param resetMillis  a quota's reset, or 0
     * @param madeAt       when it was made (the verifier's clock)
     * @param verification the answer
     */
    record Refusal(long seconds, long resetMillis, long madeAt, Verification verification) {
    }

    /** {@return the allowance's last refusal, or {@code null}} */
    Refusal lastRefusal(int index) {
        return lastRefusals[index];
    }

    /** Keeps a refusal of the allowance for the next one of the same wait. */
    void remember(int index, Refusal refusal) {
        lastRefusals[index] = refusal;
    }

    /**
     * {@return what a key spends, or {@code null} when it has no allowance and its tenant none}
     *
     * @param meter       the meter that counts them
     * @param lineage     the key's lineage id
     * @param own         the key's own allowances
     * @param defaultRate the rate limit of a key without one of its own, or {@code null}
     * @param tenantId    the key's tenant, or {@code null}
     * @param shared      the tenant's shared allowances
     */
    static Spending of(Meter meter, String lineage, List<Allowance> own, RateLimit defaultRate, String tenantId,
            List<Allowance> shared) {
        List<Metered> batch = new ArrayList<>();
        boolean ownRate = false;
        for (Allowance a : own) {
            batch.add(Metered.key(lineage, a));
            ownRate |= a instanceof RateLimit;
        }
        if (!ownRate && defaultRate != null) {
            batch.add(Metered.key(lineage, defaultRate));
        }
        int tenantsFrom = batch.size();
        if (tenantId != null) {
            for (Allowance a : shared) {
                batch.add(Metered.tenant(tenantId, a));
            }
        }
        if (batch.isEmpty()) {
            return null;
        }
        boolean hasRate = batch.stream().anyMatch(m -> m.allowance() instanceof RateLimit);
        List<Metered> copy = List.copyOf(batch);
        Meter.Prepared prepared;
        try {
            prepared = meter.prepare(copy);
        } catch (RuntimeException e) {
            // A meter that cannot prepare answers each spend as it can; its failures count as the meter's then.
            prepared = (cost, now) -> meter.spend(copy, cost, now);
        }
        return new Spending(copy, prepared, tenantsFrom, hasRate, new Refusal[copy.size()]);
    }
}
