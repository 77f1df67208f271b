package dev.apikey.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the cold-path benchmarks move past the cache staleness before each verify, to force a miss. */
final class BenchClock extends Clock {

    private volatile long millis = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();

    void advance(Duration d) {
        millis += d.toMillis();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}
