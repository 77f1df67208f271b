package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link UsageCountingBenchmark} sets up and each of its methods answers as it should, without JMH (the smoke run
 * covers {@code dev.apikey.bench} only): a benchmark that measured a refusal where it meant a hit would be no measure.
 */
class UsageCountingBenchmarkTest {

    @Test
    void everyMethodAnswersWhatItMeasures() {
        UsageCountingBenchmark b = new UsageCountingBenchmark();
        b.setUp();
        try {
            UsageCountingBenchmark.Cursor cursor = new UsageCountingBenchmark.Cursor();
            assertThat(b.countGrantIpv4().isGranted()).isTrue();
            assertThat(b.countGrantIpv6().isGranted()).isTrue();
            assertThat(b.countGrantNoAddress().isGranted()).isTrue();
            assertThat(b.countUnknownRefusal().isGranted()).isFalse();
            assertThat(b.hitCounted(cursor).isGranted()).isTrue();
            assertThat(b.hitUncounted(cursor).isGranted()).isTrue();
            assertThat(b.entry.takeGrants()).isEqualTo(3);
        } finally {
            b.tearDown();
        }
    }
}
