package dev.apikey;

import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
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
final class CountingKeyStore implements KeyStore {

    final InMemoryKeyStore delegate = new InMemoryKeyStore();
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

    @Override
    public void insert(StoredKey key) {
        call();
        delegate.insert(key);
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
    public List<StoredKey> findByTenant(String tenantId) {
        call();
        return delegate.findByTenant(tenantId);
    }

    @Override
    public List<StoredKey> findAll() {
        call();
        return delegate.findAll();
    }

    @Override
    public Optional<StoredKey> update(StoredKey edited) {
        call();
        return delegate.update(edited);
    }

    @Override
    public Optional<StoredKey> revoke(String keyId, Instant revokedAt) {
        call();
        return delegate.revoke(keyId, revokedAt);
    }

    @Override
    public boolean rotate(String oldKeyId, Instant oldKeyExpiresAt, StoredKey replacement) {
        call();
        return delegate.rotate(oldKeyId, oldKeyExpiresAt, replacement);
    }

    final java.util.List<java.util.Map<String, Instant>> lastUsedBatches =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Override
    public void recordLastUsed(java.util.Map<String, Instant> lastUsed) {
        call();
        lastUsedBatches.add(java.util.Map.copyOf(lastUsed));
        delegate.recordLastUsed(lastUsed);
    }

    @Override
    public boolean replaceHash(String keyId, String expectedHash, String newHash) {
        CountDownLatch g = replaceHashGate;
        call();
        await(g);
        hashReplacements.incrementAndGet();
        return delegate.replaceHash(keyId, expectedHash, newHash);
    }
}
