package dev.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.apikey.model.ApiKeyVerificationException;
import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.RateLimit;
import dev.apikey.model.VerifyRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The builder resolves one immutable configuration per build, checks each setting at once, and owns no thread. */
class ApiKeysBuilderTest {

    private static ApiKeysBuilder builder(InMemoryKeyStore store) {
        return ApiKeys.builder().prefix("wlcro").store(store).scopes(TestKeys.SCOPES).hasher(TestKeys.cheapArgon2());
    }

    @Test
    void buildingTwiceGivesTwoIndependentInstances() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        ApiKeysBuilder b = builder(store);
        try (ApiKeys first = b.build(); ApiKeys second = b.build()) {
            String key = first.create(KeySpec.builder("one-a-minute").scopes("events:read")
                    .rateLimit(RateLimit.perMinute(1)).build()).plaintext();

            assertThat(first.verify(key, null).isGranted()).isTrue();
            assertThat(first.verify(key, null).failure()).contains(Failure.RATE_LIMITED);
            assertThat(second.verify(key, null).isGranted()).as("its own rate limiter").isTrue();
            assertThat(second.stats().verifies("granted")).isEqualTo(1);
            assertThat(first.stats().verifies("granted")).isEqualTo(1);
        }
    }

    @Test
    void settersRefuseBadValuesAtOnceNamingTheSetting() {
        ApiKeysBuilder b = ApiKeys.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> b.prefix("9lives")).withMessageStartingWith("prefix ");
        assertThatIllegalArgumentException().isThrownBy(() -> b.cacheMaximumSize(0))
                .withMessageContaining("cacheMaximumSize");
        assertThatIllegalArgumentException().isThrownBy(() -> b.cacheMaxStaleness(Duration.ofHours(2)))
                .withMessageContaining("cacheMaxStaleness");
        assertThatIllegalArgumentException().isThrownBy(() -> b.hashConcurrency(0)).withMessageContaining("hashConcurrency");
        assertThatIllegalArgumentException().isThrownBy(() -> b.defaultRateLimit("a_b", RateLimit.perMinute(1)))
                .withMessageContaining("tenantId");
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> b.scheduler(null))
                .withMessage("scheduler");
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> b.accessPolicy(null))
                .withMessage("accessPolicy");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(b::build)
                .withMessage("ApiKeys needs prefix, store, scopes");
    }

    @Test
    void closingAThousandInstancesLeavesNoThreadOfOursAlive() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        for (int i = 0; i < 1000; i++) {
            ApiKeys apiKeys = builder(store).prefix("leakcheck").build();
            apiKeys.verify(null, null);
            apiKeys.close();
        }
        Await.until("every apikey thread ended", () -> ourThreads() == 0);
        assertThat(ourThreads()).isZero();
    }

    @Test
    void theMaintenanceThreadDoesNotKeepItsCreatorsContextClassLoader() throws Exception {
        // A servlet container builds the instance on a thread whose context loader is the web application's: a
        // thread of ours that kept it would keep the application alive after it stops (Tomcat reports it).
        java.net.URLClassLoader webapp = new java.net.URLClassLoader(new java.net.URL[0], null);
        Thread creator = Thread.currentThread();
        ClassLoader before = creator.getContextClassLoader();
        ApiKeys apiKeys;
        creator.setContextClassLoader(webapp);
        try {
            apiKeys = builder(new InMemoryKeyStore()).prefix("tcclcheck").build();
            apiKeys.verify(null, null);
        } finally {
            creator.setContextClassLoader(before);
        }
        try (webapp; apiKeys) {
            Await.until("the maintenance thread started", () -> maintenanceThread("tcclcheck") != null);
            assertThat(maintenanceThread("tcclcheck").getContextClassLoader()).isNotSameAs(webapp)
                    .isSameAs(ApiKeys.class.getClassLoader());
        }
    }

    private static Thread maintenanceThread(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("apikey-maintenance-" + prefix)).findFirst().orElse(null);
    }

    private static long ourThreads() {
        // Other tests' instances may still run; these tests use prefixes of their own.
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("apikey-") && (t.getName().endsWith("-leakcheck")
                        || t.getName().endsWith("-hostsched")))
                .count();
    }

    @Test
    void aHostSchedulerRunsTheWorkAndOutlivesClose() throws Exception {
        ScheduledExecutorService host = Executors.newSingleThreadScheduledExecutor();
        CountingKeyStore store = new CountingKeyStore();
        try {
            ApiKeys apiKeys = ApiKeys.builder().prefix("hostsched").store(store).scopes(TestKeys.SCOPES)
                    .hasher(TestKeys.cheapArgon2()).scheduler(host).lastUsedFlushInterval(Duration.ofMillis(100)).build();
            String key = apiKeys.create(KeySpec.builder("a").scopes("events:read").build()).plaintext();
            assertThat(apiKeys.verify(key, null).isGranted()).isTrue();
            String keyId = apiKeys.listAll().get(0).keyId();
            Await.until("a flush on the host's scheduler",
                    () -> store.delegate.findById(keyId).orElseThrow().lastUsedAt() != null);
            apiKeys.close();

            assertThat(host.isShutdown()).isFalse();
            assertThat(ourThreads()).isZero();
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void verifyOrThrowExistsForEveryForm() {
        try (ApiKeys apiKeys = builder(new InMemoryKeyStore()).build()) {
            String key = apiKeys.create(KeySpec.builder("a").tenantId("92").scopes("events:read").build()).plaintext();

            assertThat(apiKeys.verifyOrThrow(key, "events:read").tenantId()).contains("92");
            assertThat(apiKeys.verifyOrThrow(VerifyRequest.header(key).scope("events:read").tenantId("92")).name())
                    .isEqualTo("a");
            assertThatExceptionOfType(ApiKeyVerificationException.class)
                    .isThrownBy(() -> apiKeys.verifyOrThrow(VerifyRequest.header(key).tenantId("93")))
                    .satisfies(e -> assertThat(e.verification().failure()).contains(Failure.TENANT_MISMATCH));
        }
    }
}
