package dev.apikey.spi;

import dev.apikey.model.UsageGrain;
import dev.apikey.model.UsageSubject;
import dev.apikey.model.UsageTotal;
import java.time.Instant;
import java.util.List;

/**
 * Where verify counts are kept, by key, outcome and time bucket. The core counts in memory and hands each
 * instance's counts over in additive batches ({@link #addUsage}), so that any number of instances add up; how a
 * store keeps its grains is its own business (the built-in ones add each minute count to its minute, hour and day
 * rows at once, so that no rollup job has to run once across instances; a column store may keep minutes only and
 * roll up on read).
 *
 * <p>An optional capability of a {@link KeyStore} (found with {@code instanceof}: the in-memory and JDBC stores have
 * it), or configured on its own with {@code ApiKeys.builder().usageStore(...)}. The contract every usage store must
 * pass is {@code dev.apikey.testkit.UsageStoreContract}.
 *
 * <p>Countries ({@link UsageCountry}, for the new-country anomaly) are an optional part: a store that keeps them
 * overrides {@link #keepsCountries}, {@link #addCountries} and {@link #readCountries}, and deletes them with its hour
 * buckets in {@link #purgeUsage}; one that does not is never handed any, and the new-country detector stays quiet.
 *
 * <p>Implementations must be thread-safe; every method may throw {@link KeyStoreException} when the store fails.
 */
public interface UsageStore {

    /**
     * Adds counts to what is stored: a count for a bucket, key and outcome already stored is added to it, never
     * put in its place; sketches of networks are merged (OR). All or nothing where the store can.
     *
     * @param counts minute counts, each minute bucket, key and outcome once
     */
    void addUsage(List<UsageCount> counts);

    /**
     * Reads a series: the stored counts of a key, of a tenant's keys summed (then each count's key id is
     * {@code null}), or of the unknown series, in buckets of {@code grain} from {@code from} (inclusive) to
     * {@code to} (exclusive), in bucket order. Buckets and outcomes with nothing counted may be left out.
     *
     * @param subject whose counts
     * @param grain   the bucket size
     * @param from    the first bucket's start
     * @param to      the end, exclusive: a whole second (the core rounds a range's end up to one, so a store may
     *                compare whole seconds)
     * @return the counts, each bucket and outcome once
     */
    List<UsageCount> readUsage(UsageSubject subject, UsageGrain grain, Instant from, Instant to);

    /**
     * The keys with the most verifies (or refusals) in a range, read from buckets of {@code grain}; the unknown
     * series is never among them.
     *
     * @param tenantId only this tenant's keys, or {@code null} for every key
     * @param grain    the bucket size to read
     * @param from     the first bucket's start
     * @param to       the end, exclusive: a whole second, as for {@link #readUsage}
     * @param rank     what to rank by; ties by key id
     * @param limit    the most keys to return, 1 or more
     * @return the keys, the highest first, none with nothing to rank by
     */
    List<UsageTotal> topUsage(String tenantId, UsageGrain grain, Instant from, Instant to, UsageTotal.Rank rank,
            int limit);

    /**
     * Deletes the buckets of {@code grain} that start before {@code before}. Idempotent: every instance may run it.
     *
     * @param grain  the bucket size
     * @param before the oldest bucket start kept
     * @return how many stored rows were deleted (an estimate where the store cannot tell)
     */
    long purgeUsage(UsageGrain grain, Instant before);

    /**
     * Whether this store keeps the countries keys were seen from. When it does not (the default), the core never asks
     * a request's country source for them.
     *
     * @return {@code false} unless overridden
     */
    default boolean keepsCountries() {
        return false;
    }

    /**
     * Adds countries to what is stored: a country already stored for its hour and key is kept once. All or nothing
     * where the store can. The default ignores them (a store that does not {@linkplain #keepsCountries keep countries}
     * is never handed any). A store that keeps them deletes them with the hour buckets
     * ({@code purgeUsage(UsageGrain.HOUR, before)}).
     *
     * @param countries each hour, key and country once
     */
    default void addCountries(List<UsageCountry> countries) {
    }

    /**
     * Reads the countries one key was seen from, by hour, from {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param keyId the key
     * @param from  the first hour's start
     * @param to    the end, exclusive
     * @return the countries in hour order (ties by country), each hour and country once; empty by default
     */
    default List<UsageCountry> readCountries(String keyId, Instant from, Instant to) {
        return List.of();
    }
}
