package dev.apikey.spring;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/** Keeps every failure analysis Spring Boot reports (beside its own logging reporter), for tests to read. */
public final class RecordingFailureAnalysisReporter implements FailureAnalysisReporter {

    static final Queue<FailureAnalysis> REPORTED = new ConcurrentLinkedQueue<>();

    /** Spring Boot creates it from {@code META-INF/spring.factories}. */
    public RecordingFailureAnalysisReporter() {
    }

    @Override
    public void report(FailureAnalysis analysis) {
        REPORTED.add(analysis);
    }
}
