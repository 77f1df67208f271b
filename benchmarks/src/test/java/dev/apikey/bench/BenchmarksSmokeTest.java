package dev.apikey.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, briefly and in-process, so that they cannot rot. Says nothing about speed.
 */
class BenchmarksSmokeTest {

    @Test
    void everyBenchmarkRunsAndProducesAScore() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev\\.apikey\\.bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)   // the in-process banners say nothing a test needs
                .build()).run();

        Set<String> ran = results.stream()
                .map(r -> r.getParams().getBenchmark().replaceAll(".*\\.", "") + paramsOf(r))
                .collect(Collectors.toSet());
        assertThat(ran).contains("floorSha256OfKey", "floorCaffeineGetIfPresent", "verifyHit", "verifyHitTwoThreads",
                "verifyWrongSecretOnCachedId", "verifyUnknownId", "verifyMalformedHeader", "verifyBadChecksum",
                "baselineNaiveCachedHit", "verifyMiss[argon2id]", "verifyMiss[sha256]", "verifyStaleReload[argon2id]", "baselineNoCache[argon2id]",
                "baselineNoCache[sha256]", "floorComposite", "parseHeader", "parseAndDigest", "threadLocalScratch",
                "clockMillis", "tableGet", "countGrant");
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive().isFinite();
        }
    }

    private static String paramsOf(RunResult r) {
        String hasher = r.getParams().getParam("hasher");
        return hasher == null ? "" : "[" + hasher + "]";
    }
}
