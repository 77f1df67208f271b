package dev.apikey.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Every case of {@link ParityCases} against every adapter, over real HTTP on 127.0.0.1 or a real gRPC channel:
 * each answer is compared with the table's expectation (status, failure code, problem headers and body members; for
 * gRPC the mapped status and the ErrorInfo), except where {@link NotApplicable} says otherwise. One server per
 * adapter for the whole suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdapterParityTest {

    /**
     * The adapters, the servlet filter first. To add one (the starter's WebFlux, the gateway module): write a class
     * implementing {@link Adapter} (an {@link HttpAdapter} for HTTP: start it on 127.0.0.1 over
     * {@code fixture.apiKeys} with {@link Fixture#ROUTES}, each route answering {@link HttpAdapter#granted}), add
     * its constructor here, and add to {@link NotApplicable} what it cannot express or answers otherwise.
     */
    static final List<Supplier<Adapter>> ADAPTERS = List.of(ServletFilterAdapter::new, SpringMvcAdapter::new,
            WebFluxAdapter::new, GatewayAdapter::new, JerseyAdapter::new, ResteasyAdapter::new, GrpcAdapter::new);

    /**
     * The adapters that tell a legacy key's holder to rotate it in an {@code Api-Key-Notice} response header; the
     * others grant it without the header (docs/PARITY.md).
     */
    static final Set<String> NOTICE_ADAPTERS = Set.of("servlet-filter", "spring-mvc", "spring-webflux");

    private Fixture fixture;
    private final Map<String, Adapter> started = new LinkedHashMap<>();

    @BeforeAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void startEveryAdapter() throws Exception {
        fixture = new Fixture();
        for (Supplier<Adapter> s : ADAPTERS) {
            Adapter adapter = s.get();
            started.put(adapter.name(), adapter);
            adapter.start(fixture);
        }
    }

    @AfterAll
    void stopEveryAdapter() throws Exception {
        Exception first = null;
        for (Adapter adapter : started.values()) {
            try {
                adapter.stop();
            } catch (Exception e) {
                // Stop the others too, then say what failed.
                first = first == null ? e : first;
            }
        }
        if (fixture != null) {
            fixture.close();
        }
        if (first != null) {
            throw first;
        }
    }

    @Test
    void everyBuiltInFailureCodeHasACase() {
        Set<String> covered = ParityCases.ALL.stream().map(ParityCase::code).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (Failure f : Failure.builtIns()) {
            if (!covered.contains(f.code())) {
                missing.add(f.code());
            }
        }
        assertThat(missing).as("failure codes without a case in ParityCases").isEmpty();
        assertThat(covered).contains("granted");
    }

    @Test
    void everyEntryOfTheDifferencesTableNamesAnAdapterAndACase() {
        Set<String> adapters = started.keySet();
        Set<String> cases = ParityCases.ALL.stream().map(ParityCase::name).collect(Collectors.toSet());
        for (NotApplicable.Entry e : NotApplicable.ENTRIES) {
            assertThat(adapters).as("adapter of %s", e).contains(e.adapter());
            assertThat(cases).as("case of %s", e).contains(e.caseName());
            assertThat(e.answersInstead() == null).as("answersInstead of %s", e)
                    .isEqualTo(e.kind() == NotApplicable.Kind.NOT_APPLICABLE);
        }
    }

    @TestFactory
    Stream<DynamicContainer> everyAdapterAnswersEveryCaseAsTheTableSays() {
        return started.values().stream().map(adapter -> DynamicContainer.dynamicContainer(adapter.name(),
                ParityCases.ALL.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(adapter, c)))));
    }

    private void run(Adapter adapter, ParityCase c) throws Exception {
        NotApplicable.Entry entry = NotApplicable.find(adapter.name(), c.name()).orElse(null);
        if (entry != null && entry.kind() == NotApplicable.Kind.NOT_APPLICABLE) {
            Assumptions.abort("not applicable to " + adapter.name() + ": " + entry.reason());
        }
        String expected = entry == null ? c.code() : entry.answersInstead();
        ParityCase.Prepared prepared = c.setup().prepare(fixture);
        Answer answer;
        try {
            answer = adapter.answer(prepared.ask());
        } finally {
            fixture.releaseAll();
        }
        SoftAssertions soft = new SoftAssertions();
        if (expected.equals("granted")) {
            checkGranted(soft, adapter, prepared, answer);
            if (c.name().equals(ParityCases.LEGACY) && NOTICE_ADAPTERS.contains(adapter.name())) {
                soft.assertThat(answer.header("api-key-notice")).as("the legacy key's notice")
                        .isEqualTo("legacy key; rotate by 2031-01-01T00:00:00Z");
            }
        } else {
            Failure failure = builtIn(expected);
            // An answer that differs by design or by defect has its failure's own detail.
            String detail = entry == null ? c.expectedDetail(adapter.grpc()) : failure.detail();
            if (adapter.grpc()) {
                checkGrpcRefusal(soft, failure, detail, answer);
            } else {
                checkProblem(soft, failure, detail, answer);
            }
        }
        if (!expected.equals("granted")) {
            soft.assertThat(answer.principal()).as("a refused request reached the resource").isNull();
        }
        checkNothingEchoed(soft, prepared.ask(), answer);
        soft.assertAll();
    }

    private static void checkGranted(SoftAssertions soft, Adapter adapter, ParityCase.Prepared prepared,
            Answer answer) {
        if (adapter.grpc()) {
            soft.assertThat(answer.grpcStatus()).as("gRPC status; %s", answer).isEqualTo("OK");
        } else {
            soft.assertThat(answer.httpStatus()).as("HTTP status; %s", answer).isEqualTo(200);
        }
        if (prepared.keyId() != null) {
            soft.assertThat(answer.principal()).as("the caller the resource saw").isEqualTo(prepared.keyId());
        } else {
            // A refusal case an adapter grants by design (NotApplicable): some key reached the resource.
            soft.assertThat(answer.principal()).as("the caller the resource saw").isNotNull();
        }
    }

    private static void checkProblem(SoftAssertions soft, Failure failure, String detail, Answer a) {
        soft.assertThat(a.httpStatus()).as("status; %s", a).isEqualTo(failure.httpStatus());
        soft.assertThat(a.header("content-type")).as("Content-Type").startsWith("application/problem+json");
        soft.assertThat(a.header("cache-control")).as("Cache-Control").isEqualTo("no-store");
        if (failure.httpStatus() == 401) {
            soft.assertThat(a.header("www-authenticate")).as("WWW-Authenticate").isEqualTo(
                    failure.equals(Failure.MISSING_API_KEY) ? "Bearer realm=\"api\""
                            : "Bearer realm=\"api\", error=\"invalid_token\"");
        } else {
            soft.assertThat(a.header("www-authenticate")).as("WWW-Authenticate").isNull();
        }
        if (failure.isTransient()) {
            soft.assertThat(a.header("retry-after")).as("Retry-After").isNotNull().matches("[1-9][0-9]*");
        } else {
            soft.assertThat(a.header("retry-after")).as("Retry-After").isNull();
        }
        // The body's retry_after is the header's number, present with it and only with it.
        Object retryAfter = a.members().get("retry_after");
        soft.assertThat(retryAfter == null ? null : String.valueOf(retryAfter)).as("retry_after member")
                .isEqualTo(a.header("retry-after"));
        soft.assertThat(a.header("ratelimit") != null).as("RateLimit present").isEqualTo(failure.httpStatus() == 429);
        soft.assertThat(a.header("ratelimit-policy") != null).as("RateLimit-Policy present")
                .isEqualTo(failure.equals(Failure.RATE_LIMITED) || failure.equals(Failure.QUOTA_EXCEEDED));
        Map<String, Object> m = a.members();
        soft.assertThat(m.get("type")).as("type").isEqualTo("urn:apikey:problem:" + failure.code());
        soft.assertThat(m.get("title")).as("title").isEqualTo(failure.title());
        soft.assertThat(m.get("status")).as("status member").isEqualTo(failure.httpStatus());
        soft.assertThat(m.get("code")).as("code").isEqualTo(failure.code());
        soft.assertThat(m.get("resolution")).as("resolution").isEqualTo(failure.resolution());
        soft.assertThat(m.get("detail")).as("detail").isEqualTo(detail);
        soft.assertThat(m.get("missing_scope")).as("missing_scope")
                .isEqualTo(failure.equals(Failure.INSUFFICIENT_SCOPE) ? "events:write" : null);
    }

    private static void checkGrpcRefusal(SoftAssertions soft, Failure failure, String detail, Answer a) {
        soft.assertThat(a.grpcStatus()).as("gRPC status; %s", a).isEqualTo(GrpcMapping.status(failure));
        Map<String, Object> m = a.members();
        soft.assertThat(m.get("code")).as("ErrorInfo reason").isEqualTo(failure.code());
        soft.assertThat(m.get("domain")).as("ErrorInfo domain").isEqualTo("api-key");
        soft.assertThat(m.get("title")).as("ErrorInfo title").isEqualTo(failure.title());
        soft.assertThat(m.get("resolution")).as("ErrorInfo resolution").isEqualTo(failure.resolution());
        soft.assertThat(m.get("detail")).as("description").isEqualTo(detail);
        soft.assertThat(m.get("missing_scope")).as("missing_scope")
                .isEqualTo(failure.equals(Failure.INSUFFICIENT_SCOPE) ? "events:write" : null);
        if (GrpcMapping.retryInfo(failure)) {
            soft.assertThat(a.header("retry-info")).as("RetryInfo seconds").isNotNull().matches("[1-9][0-9]*");
        } else {
            soft.assertThat(a.header("retry-info")).as("RetryInfo").isNull();
        }
    }

    /** No answer repeats a token the request sent (a key, or what looked like one). */
    private static void checkNothingEchoed(SoftAssertions soft, Ask ask, Answer a) {
        List<String> sent = new ArrayList<>();
        for (String line : ask.headers()) {
            for (String token : line.substring(line.indexOf(':') + 1).strip().split(" ")) {
                if (token.length() >= 16) {
                    sent.add(token);
                }
            }
        }
        for (String token : sent) {
            soft.assertThat(a.raw()).as("the answer echoes a sent token").doesNotContain(token);
            soft.assertThat(a.headers().values()).as("a header echoes a sent token").noneMatch(v -> v.contains(token));
        }
    }

    private static Failure builtIn(String code) {
        return Failure.builtIns().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no built-in failure " + code));
    }
}
