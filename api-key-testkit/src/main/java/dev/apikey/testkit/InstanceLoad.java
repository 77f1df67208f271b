package dev.apikey.testkit;

import dev.apikey.ApiKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on several {@link ApiKeys} instances sharing one store and one meter, as a host's instances behind a load
 * balancer: how many calls of one key they grant together, to hold a shared meter to its allowance.
 */
public final class InstanceLoad {

    private InstanceLoad() {
    }

    /**
     * Verifies one key on every instance, one thread each, for a while.
     *
     * @param instances the instances
     * @param key       the key's plaintext
     * @param scope     the scope each call requires
     * @param during    how long
     * @return the calls granted, all instances together
     * @throws Exception if a thread failed, or did not end within {@code during} plus 30 s
     */
    public static int grants(List<ApiKeys> instances, String key, String scope, Duration during) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(instances.size());
        AtomicInteger granted = new AtomicInteger();
        long end = System.nanoTime() + during.toNanos();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (ApiKeys k : instances) {
                runs.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        if (k.verify(key, scope).isGranted()) {
                            granted.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : runs) {
                f.get(during.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return granted.get();
    }
}
