package dev.apikey;

import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake store over {@link InMemoryKeyStore} that counts lookups, can be switched to fail like an
 * unreachable database, and can hold lookups at a gate.
 */
public final class CountingKeyStore implements KeyStore {

    public final InMemoryKeyStore delegate = new InMemoryKeyStore();
    final AtomicInteger finds = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;
    volatile CountDownLatch gate;
    volatile CountDownLatch gateAfterRead;
    /** Holds hash upgrades until opened. */
    volatile CountDownLatch replaceHashGate;
    final AtomicInteger hashReplacements = new AtomicInteger();

    private void call() {
        calls.incrementAndGet();
        if (down) {
            throw new KeyStoreException("connection refused (simulated outage)", null);
        }
    }

    /** Writes counted apart from reads, to tell what a verify wrote. */
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public void write(List<KeyWrite> records) {
        // A hash upgrade: one replace that keeps the version.
        boolean hashUpgrade = records.size() == 1 && !records.get(0).isInsert() && !records.get(0).changesVersion();
        CountDownLatch g = hashUpgrade ? replaceHashGate : null;
        call();
        await(g);
        writes.incrementAndGet();
        if (hashUpgrade) {
            hashReplacements.incrementAndGet();
        }
        delegate.write(records);
    }

    @Override
    public Optional<StoredKey> findById(String keyId) {
        CountDownLatch before = gate;
        CountDownLatch after = gateAfterRead;
        finds.incrementAndGet();
        call();
        await(before);
        Optional<StoredKey> found = delegate.findById(keyId);
        await(after);
        return found;
    }

    private static void await(CountDownLatch g) {
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeyStoreException("interrupted", e);
            }
        }
    }

    @Override
    public List<StoredKey> findPage(KeyFilter filter, int limit) {
        call();
        return delegate.findPage(filter, limit);
    }

    final java.util.List<java.util.Map<String, Instant>> lastUsedBatches =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Override
    public void recordLastUsed(java.util.Map<String, Instant> lastUsed) {
        call();
        lastUsedBatches.add(java.util.Map.copyOf(lastUsed));
        delegate.recordLastUsed(lastUsed);
    }

}
