package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.spi.KeyEventListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * The admin API's bulkhead over real HTTP: while its store calls are all taken (here a create held by the host's
 * event listener), the next call is answered 503 {@code admin_busy} with {@code Retry-After} at once, and calls
 * are served again when one returns.
 */
class AdminBulkheadTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void pastItsStoreCallsTheApiAnswers503AtOnce() throws Exception {
        CountDownLatch creating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KeyEventListener slowAudit = new KeyEventListener() {
            @Override
            public void created(ApiKeyInfo key) {
                if (key.attributes().name().equals("held")) {
                    creating.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("keys:manage", "Manage keys").build())
                .hasher(Sha256Hasher.create()).listener(slowAudit).build()) {
            String admin = apiKeys.create(KeySpec.builder("admin").tenantId("92").scopes("keys:manage").build())
                    .plaintext();
            Server server = Jetty.start(context -> context.addServlet(new ServletHolder(AdminApi.builder(apiKeys)
                    .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage")).maxConcurrentStoreCalls(1)
                    .build()), "/admin/api-keys/*"));
            try {
                String base = "http://127.0.0.1:" + Jetty.port(server) + "/admin/api-keys";
                CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(base + "/keys")).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer "
                        + admin).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"held\",\"tenant_id\":\"92\",\"scopes\":[\"keys:manage\"]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(creating.await(10, TimeUnit.SECONDS)).as("the create reached the listener").isTrue();

                HttpResponse<String> busy = http.send(HttpRequest.newBuilder(URI.create(base + "/keys"))
                        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + admin).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(busy.statusCode()).isEqualTo(503);
                OpenApiCheck.PUBLISHED.check("GET", "/keys", busy);
                assertThat(busy.body()).contains("\"code\":\"admin_busy\"");
                assertThat(busy.headers().firstValue("Retry-After")).contains("1");

                release.countDown();
                assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
                OpenApiCheck.PUBLISHED.check("POST", "/keys", held.get());
                HttpResponse<String> free = http.send(HttpRequest.newBuilder(URI.create(base + "/keys"))
                        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + admin).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(free.statusCode()).isEqualTo(200);
                OpenApiCheck.PUBLISHED.check("GET", "/keys", free);
            } finally {
                release.countDown();
                server.stop();
            }
        }
    }

    @Test
    void anAnswerThatOutlastsTheBodysDeadlineIsNotCut() throws Exception {
        KeyEventListener slowAudit = new KeyEventListener() {
            @Override
            public void created(ApiKeyInfo key) {
                if (key.attributes().name().equals("slow")) {
                    // A slow audit sink: the answer takes longer than the body's whole deadline.
                    try {
                        new CountDownLatch(1).await(1500, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(new InMemoryKeyStore())
                .scopes(ScopeCatalog.builder().scope("keys:manage", "Manage keys").build())
                .hasher(Sha256Hasher.create()).listener(slowAudit).build()) {
            String admin = apiKeys.create(KeySpec.builder("admin").tenantId("92").scopes("keys:manage").build())
                    .plaintext();
            Server server = Jetty.start(context -> {
                ServletHolder holder = new ServletHolder(AdminApi.builder(apiKeys)
                        .callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"))
                        .bodyLimits(BodyLimits.defaults().deadline(Duration.ofMillis(300))).build());
                holder.setAsyncSupported(true);
                context.addServlet(holder, "/admin/api-keys/*");
            });
            try {
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + Jetty.port(server) + "/admin/api-keys/keys")).timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"slow\",\"tenant_id\":\"92\",\"scopes\":[\"keys:manage\"]}")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                OpenApiCheck.PUBLISHED.check("POST", "/keys", created);
                assertThat(created.body()).contains("\"api_key\"");
                assertThat(apiKeys.listAll()).hasSize(2);
            } finally {
                server.stop();
            }
        }
    }
}
