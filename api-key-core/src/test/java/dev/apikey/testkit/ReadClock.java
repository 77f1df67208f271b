package dev.apikey.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Supplier;

/** A UTC clock that reads its time from what a test moves (a field, an atomic): each read asks again. */
public final class ReadClock extends Clock {

    private final Supplier<Instant> now;

    private ReadClock(Supplier<Instant> now) {
        this.now = now;
    }

    /**
     * A clock reading {@code now}.
     *
     * @param now what the test moves
     * @return the clock
     */
    public static Clock of(Supplier<Instant> now) {
        return new ReadClock(Objects.requireNonNull(now, "now"));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
