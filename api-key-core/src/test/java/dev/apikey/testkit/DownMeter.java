package dev.apikey.testkit;

import dev.apikey.spi.Meter;
import dev.apikey.spi.Metered;
import dev.apikey.spi.Spend;
import java.util.List;

/** A fake meter whose backend is down: every call throws, as a shared meter's does when its database or Redis is. */
public final class DownMeter implements Meter {

    @Override
    public Spend spend(List<Metered> batch, long cost, long nowMillis) {
        throw new IllegalStateException("meter down (simulated)");
    }

    @Override
    public long used(Metered metered, long nowMillis) {
        throw new IllegalStateException("meter down (simulated)");
    }
}
