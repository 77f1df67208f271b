package dev.apikey;

import dev.apikey.spi.SecretHasher;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake that counts the calls on a real hasher, and can hold verifies at a gate. */
final class CountingHasher implements SecretHasher {

    final SecretHasher delegate;
    final AtomicInteger hashes = new AtomicInteger();
    final AtomicInteger verifies = new AtomicInteger();
    volatile CountDownLatch verifyGate;

    CountingHasher(SecretHasher delegate) {
        this.delegate = delegate;
    }

    @Override
    public String algorithm() {
        return delegate.algorithm();
    }

    @Override
    public String hash(byte[] secret) {
        hashes.incrementAndGet();
        return delegate.hash(secret);
    }

    @Override
    public boolean verify(byte[] secret, String storedHash) {
        // The gate is read before the count moves: a test that sees the count and then clears the gate still holds
        // this check.
        CountDownLatch g = verifyGate;
        verifies.incrementAndGet();
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return delegate.verify(secret, storedHash);
    }

    @Override
    public boolean isWellFormed(String storedHash) {
        return delegate.isWellFormed(storedHash);
    }

    @Override
    public boolean needsRehash(String storedHash) {
        return delegate.needsRehash(storedHash);
    }
}
