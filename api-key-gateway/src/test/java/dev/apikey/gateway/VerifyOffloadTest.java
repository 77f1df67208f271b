package dev.apikey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A verify that may block (here: an access policy, host code) runs on the bounded verify scheduler, never on the
 * event loop; when its one thread and one queued place are taken, the next request is answered 503 overloaded.
 */
@SpringBootTest(classes = VerifyOffloadTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VerifyOffloadTest {

    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final List<String> POLICY_THREADS = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Upstream upstream;

    @LocalServerPort
    int port;
    @Autowired
    ApiKeys apiKeys;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean(destroyMethod = "close")
        ApiKeys apiKeys() {
            return ApiKeys.builder().prefix("gwtst").store(new InMemoryKeyStore()).scopes(GatewayApp.SCOPES)
                    .accessPolicy((key, request) -> {
                        POLICY_THREADS.add(Thread.currentThread().getName());
                        try {
                            RELEASE.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Optional.empty();
                    }).build();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        upstream = Upstream.withTestSecret();
        GatewayApp.common(registry);
        registry.add("apikey.gateway.verify-threads", () -> "1");
        registry.add("apikey.gateway.verify-queue", () -> "1");
        GatewayApp.route(registry, 0, "any", upstream, "Path=/any/**");
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        RELEASE.countDown();
        upstream.close();
    }

    private CompletableFuture<HttpResponse<String>> send(String key) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/any/x"))
                .header("X-Api-Key", key).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aVerifyThatMayBlockRunsOnTheBoundedSchedulerAndItsLimitAnswersOverloaded() throws Exception {
        String key = apiKeys.create(KeySpec.builder("k").scopes("events:read").build()).plaintext();

        CompletableFuture<HttpResponse<String>> first = send(key);
        await().atMost(Duration.ofSeconds(20)).until(() -> POLICY_THREADS.size() == 1);
        CompletableFuture<HttpResponse<String>> second = send(key);
        CompletableFuture<HttpResponse<String>> third = send(key);
        await().atMost(Duration.ofSeconds(20)).until(() -> second.isDone() || third.isDone());
        HttpResponse<String> refused = second.isDone() ? second.get() : third.get();
        CompletableFuture<HttpResponse<String>> queued = second.isDone() ? third : second;

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"overloaded\"");
        assertThat(queued).isNotDone();
        RELEASE.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(POLICY_THREADS).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("apikey-verify"));
    }
}
