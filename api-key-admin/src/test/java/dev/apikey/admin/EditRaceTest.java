package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.KeyFilter;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyWrite;
import dev.apikey.spi.StoredKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An edit by {@code rate_limit} or {@code quota} builds the key's whole allowance list from the key as read: another
 * edit landing between that read and the write is never undone; the edit answers 409 instead.
 */
class EditRaceTest {

    private final InMemoryKeyStore inner = new InMemoryKeyStore();
    /** Runs once, just before the next write reaches the store: another edit that lands first. */
    private final AtomicReference<Runnable> beforeNextWrite = new AtomicReference<>();
    private final KeyStore store = new KeyStore() {
        @Override
        public Optional<StoredKey> findById(String keyId) {
            return inner.findById(keyId);
        }

        @Override
        public List<StoredKey> findPage(KeyFilter filter, int limit) {
            return inner.findPage(filter, limit);
        }

        @Override
        public void write(List<KeyWrite> writes) {
            Runnable first = beforeNextWrite.getAndSet(null);
            if (first != null) {
                first.run();
            }
            inner.write(writes);
        }

        @Override
        public void recordLastUsed(Map<String, Instant> lastUsed) {
            inner.recordLastUsed(lastUsed);
        }
    };
    private final ApiKeys apiKeys = ApiKeys.builder().prefix("wlcro").store(store).scopes(AdminApiContract.SCOPES)
            .hasher(Sha256Hasher.create()).build();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        apiKeys.close();
    }

    @Test
    void aRateLimitEditRacingAQuotaEditIsRefusedNotWrittenOverIt() throws Exception {
        racingEdit();
    }

    @Test
    void soIsOneSentWithIfMatchStar() throws Exception {
        racingEdit("If-Match", "*");
    }

    private void racingEdit(String... headers) throws Exception {
        AdminApi api = AdminApi.builder(apiKeys).callers(CallerResolver.apiKeyWithScope(apiKeys, "keys:manage"))
                .build();
        server = Jetty.start(context -> {
            ServletHolder holder = new ServletHolder(api);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/admin/api-keys/*");
        });
        String admin = apiKeys.create(KeySpec.builder("admin").tenantId("92").scopes("keys:manage", "events:read").build())
                .plaintext();
        String id = apiKeys.create(KeySpec.builder("crm").tenantId("92").scopes("events:read")
                .allowance(Quota.perDay(100)).build()).info().keyId();
        beforeNextWrite.set(() -> {
            StoredKey k = inner.findById(id).orElseThrow();
            KeySpec raised = KeySpec.builder("crm").tenantId("92").scopes("events:read")
                    .allowance(Quota.perDay(5_000)).build();
            inner.write(List.of(KeyWrite.replace(k.withAttributes(raised), k.version())));
        });

        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + Jetty.port(server) + "/admin/api-keys/keys/" + id))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"rate_limit\":{\"requests\":60,\"period_seconds\":60}}"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> edit = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(edit.statusCode()).as(edit.body()).isEqualTo(409);
        assertThat(edit.body()).contains("key_changed");
        assertThat(inner.findById(id).orElseThrow().attributes().allowances()).as("the other edit stands")
                .containsExactly(Quota.perDay(5_000));
        assertThat(apiKeys.get(id).orElseThrow().attributes().allowances()).doesNotContain(RateLimit.perMinute(60));
    }
}
