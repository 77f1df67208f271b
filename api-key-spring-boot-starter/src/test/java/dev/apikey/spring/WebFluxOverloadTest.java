package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.model.KeySpec;
import dev.apikey.spi.AccessPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The bounded scheduler full (one thread, busy in a host policy that waits; one verify queued): the next verify is
 * not judged but answered {@code overloaded}, 503 with {@code Retry-After: 1}, as the core answers a saturated secret
 * check; the busy and the queued ones are answered once the thread is free.
 */
@SpringBootTest(classes = WebFluxOverloadTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "server.address=127.0.0.1",
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.routes[0]=GET /api/v1/events -> events:read",
            "apikey.webflux.verify-threads=1",
            "apikey.webflux.verify-queue=1"})
class WebFluxOverloadTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReactiveControllers.class)
    static class App {
        static final CountDownLatch ENTERED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        /** Holds the first verify of the key named "slow" on the scheduler's one thread until released. */
        @Bean
        AccessPolicy policy() {
            return (key, request) -> {
                if (key.name().equals("slow") && ENTERED.getCount() > 0) {
                    ENTERED.countDown();
                    try {
                        RELEASE.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Optional.empty();
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys apiKeys;

    CompletableFuture<HttpResponse<String>> get(String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                .header("X-Api-Key", key).timeout(Duration.ofSeconds(30)).build();
        return Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFullSchedulerAnswersOverloadedWithoutJudgingTheKey() throws Exception {
        String slow = apiKeys.create(KeySpec.builder("slow").scopes("events:read").build()).plaintext();
        String other = apiKeys.create(KeySpec.builder("other").scopes("events:read").build()).plaintext();

        CompletableFuture<HttpResponse<String>> busy = get(slow);
        assertThat(App.ENTERED.await(20, TimeUnit.SECONDS)).as("the policy holds the one thread").isTrue();
        List<CompletableFuture<HttpResponse<String>>> more = List.of(get(other), get(other));
        // One of the two waits in the queue; the other finds it full and is answered at once.
        Object answered = CompletableFuture.anyOf(more.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        @SuppressWarnings("unchecked")
        HttpResponse<String> first = (HttpResponse<String>) answered;
        App.RELEASE.countDown();

        assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
        assertThat(first.body()).contains("\"code\":\"overloaded\"").contains("\"retry_after\":1");
        assertThat(first.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        long granted = more.stream().map(f -> f.join().statusCode()).filter(s -> s == 200).count();
        assertThat(granted).as("the queued verify is answered once the thread is free").isEqualTo(1);
        assertThat(Http.get(port, "/api/v1/events", other).statusCode()).isEqualTo(200);
    }
}
