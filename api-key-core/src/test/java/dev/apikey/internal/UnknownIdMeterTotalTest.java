package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Review of issue 30 (unknown key ids metered "per source and in total"): once the total is spent, a source counts
 * as clean again one refill interval (60 s / perSource) after its last unknown id, so every source keeps its own
 * per-source rate and the total bounds nothing. Simulated clock; no sleeping.
 */
class UnknownIdMeterTotalTest {

    @Test
    void manySourcesTogetherStayNearTheTotalPerMinute() {
        int perSource = 60;
        int total = 6_000;
        int sources = 1_000;
        UnknownIdMeter meter = new UnknownIdMeter(perSource, total);
        long allowed = 0;
        // Each source sends one made-up id a second for two minutes, none of them found.
        for (long second = 0; second < 120; second++) {
            long now = second * 1_000;
            for (int s = 0; s < sources; s++) {
                String address = "10." + (s / 250) + "." + (s % 250) + ".7";
                if (meter.beforeLookup(address, now) <= 0) {
                    allowed++;
                }
            }
        }
        // The total allows 6,000 a minute after a burst of 6,000: at most 18,000 in two minutes, however many
        // networks, not the per-source rate times the number of networks (120,000).
        assertThat(allowed).as("store look-ups of unknown ids in two minutes from %d networks", sources)
                .isLessThanOrEqualTo(3L * total);
    }
}
