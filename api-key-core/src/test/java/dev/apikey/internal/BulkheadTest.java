package dev.apikey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hash slots: first come first served, and checks of keys under a flood get at most half of them. */
class BulkheadTest {

    @Test
    void suspectChecksHoldAtMostHalfTheSlotsAndOthersGetTheRest() {
        Bulkhead bulkhead = new Bulkhead(4, Duration.ofMillis(20));
        assertThat(bulkhead.tryEnter(true)).isTrue();
        assertThat(bulkhead.tryEnter(true)).isTrue();
        assertThat(bulkhead.tryEnter(true)).as("a third suspect").isFalse();
        assertThat(bulkhead.tryEnter(false)).isTrue();
        assertThat(bulkhead.tryEnter(false)).isTrue();
        assertThat(bulkhead.tryEnter(false)).as("all four taken").isFalse();
        assertThat(bulkhead.waits()).isEqualTo(2);
        assertThat(bulkhead.refusals()).isEqualTo(2);

        bulkhead.exit(true);
        assertThat(bulkhead.tryEnter(true)).as("a suspect slot came back").isTrue();
    }

    @Test
    void aSuspectThatGotItsShareButNoSlotGivesTheShareBack() {
        Bulkhead bulkhead = new Bulkhead(2, Duration.ofMillis(20));
        assertThat(bulkhead.tryEnter(false)).isTrue();
        assertThat(bulkhead.tryEnter(false)).isTrue();
        assertThat(bulkhead.tryEnter(true)).isFalse();
        bulkhead.exit(false);
        assertThat(bulkhead.tryEnter(true)).as("its share was returned").isTrue();
        assertThat(bulkhead.tryEnter(true)).as("one suspect of two slots").isFalse();
    }

    @Test
    void withOneSlotSuspectsStillGetIt() {
        Bulkhead bulkhead = new Bulkhead(1, Duration.ZERO);
        assertThat(bulkhead.tryEnter(true)).isTrue();
        assertThat(bulkhead.tryEnter(false)).isFalse();
        bulkhead.exit(true);
        assertThat(bulkhead.tryEnter(false)).isTrue();
    }
}
