package dev.apikey;

import dev.apikey.internal.LogWindow;
import dev.apikey.spi.KeyStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades stored hashes of an older hash policy off the request path: a verify whose secret matched such a hash
 * queues the upgrade here and returns; the instance's scheduler hashes the secret with the current hasher and
 * writes it, one upgrade per run, so that the last-use flush and the change-feed poll on the same thread are never
 * held up by more than one hash.
 *
 * <p>Each queued upgrade holds its own copy of the secret, zeroed once the upgrade ran, was dropped or was
 * discarded by {@link #close()}. The queue is bounded: when it is full an upgrade is dropped (the key keeps its old
 * hash, which still verifies, and is offered again at its next stored-hash check), logged at most once a minute.
 *
 * <p>Thread-safe. Package-private.
 */
final class Rehasher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.hash");
    /** Upgrades waiting at most: each is a key id, two hashes and 32 bytes, and a run does one. */
    static final int CAPACITY = 100;

    private final KeyStore store;
    private final HashPolicy hashing;
    private final Executor scheduler;
    private final Clock clock;
    private final ArrayBlockingQueue<Upgrade> queue;
    /** Whether a run is submitted and not yet finished: at most one at a time. */
    private final AtomicBoolean submitted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LogWindow dropLog = new LogWindow(60_000);
    private long dropped;

    /** One upgrade: the key, the hash it was read with, and a copy of the secret that matched it. */
    private record Upgrade(String keyId, String expectedHash, byte[] secret) {
        @Override
        public String toString() {
            return "Upgrade[" + keyId + "]";
        }
    }

    Rehasher(KeyStore store, HashPolicy hashing, Executor scheduler, Clock clock, int capacity) {
        this.store = store;
        this.hashing = hashing;
        this.scheduler = scheduler;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Queues an upgrade of the stored hash of a key whose secret just matched it; returns at once.
     *
     * @param secret the secret that matched; copied, the caller zeroes its own
     * @return whether it was queued ({@code false}: the queue was full or this was closed, and nothing is kept)
     */
    boolean offer(String keyId, String expectedHash, byte[] secret) {
        if (closed.get()) {
            return false;
        }
        Upgrade upgrade = new Upgrade(keyId, expectedHash, secret.clone());
        if (!queue.offer(upgrade)) {
            Arrays.fill(upgrade.secret, (byte) 0);
            droppedOne(keyId);
            return false;
        }
        if (closed.get()) {
            // close() may have drained the queue before this upgrade went in: drain again, so none stays.
            discardQueued();
            return false;
        }
        submit();
        return true;
    }

    private void droppedOne(String keyId) {
        long count;
        synchronized (this) {
            count = ++dropped;
        }
        if (dropLog.tryLog(clock.millis())) {
            LOG.warn("hash upgrade queue full ({} waiting): the upgrade of key {} is dropped, its old hash kept until "
                    + "its next check ({} dropped so far; at most one line a minute)", CAPACITY, keyId, count);
        }
    }

    private void submit() {
        if (!submitted.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(this::runOne);
        } catch (RejectedExecutionException e) {
            // The host's scheduler stopped: nothing will run what is queued.
            submitted.set(false);
            discardQueued();
        }
    }

    /** Runs one upgrade, then submits itself again if more wait, behind the tasks already due. */
    private void runOne() {
        try {
            Upgrade next = closed.get() ? null : queue.poll();
            if (next != null) {
                try {
                    upgrade(next.keyId, next.expectedHash, hashing.hash(next.secret));
                } catch (RuntimeException e) {
                    LOG.warn("could not upgrade the stored hash of key {}: {}", next.keyId, e.toString());
                } finally {
                    Arrays.fill(next.secret, (byte) 0);
                }
            }
        } finally {
            submitted.set(false);
        }
        if (!queue.isEmpty()) {
            if (closed.get()) {
                discardQueued();
            } else {
                submit();
            }
        }
    }

    /** The one store call: replaces the hash only if it is still the one the secret matched. */
    private void upgrade(String keyId, String expectedHash, String newHash) {
        boolean replaced = KeyLifecycle.rehash(store, keyId, expectedHash, newHash, hashing.current().algorithm(),
                clock.instant());
        LOG.info("upgraded the stored hash of key {} to {}: {}", keyId, hashing.current().algorithm(),
                replaced ? "done" : "changed meanwhile, left as is");
    }

    /** {@return the upgrades waiting now} */
    int queued() {
        return queue.size();
    }

    private void discardQueued() {
        int discarded = 0;
        for (Upgrade u = queue.poll(); u != null; u = queue.poll()) {
            Arrays.fill(u.secret, (byte) 0);
            discarded++;
        }
        if (discarded > 0) {
            LOG.info("{} hash upgrades discarded unrun (closed, or the scheduler stopped); the keys keep their old "
                    + "hashes until their next check",
                    discarded);
        }
    }

    /**
     * Stops taking upgrades and discards those waiting, zeroing their secrets; an upgrade already running finishes.
     * Idempotent.
     */
    @Override
    public void close() {
        closed.set(true);
        discardQueued();
    }
}
