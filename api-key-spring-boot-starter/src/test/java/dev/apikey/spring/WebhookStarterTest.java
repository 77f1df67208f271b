package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.apikey.webhooks.WebhookChannel;
import dev.apikey.webhooks.WebhookSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code apikey.webhooks.*} and {@code apikey.anomalies.*} over real HTTP: a key created through the admin API reaches
 * a receiver on 127.0.0.1, signed with the configured secret, while the host's own listener still hears it; the
 * detection answers the admin API's anomalies; tenant delivery opens {@code /tenants/{id}/webhooks}; and no secret
 * shows in the actuator, even told to show values.
 */
@SpringBootTest(classes = WebhookStarterTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "apikey.prefix=wlcro",
            "apikey.scopes.[events\\:read]=Read events",
            "apikey.admin.enabled=true",
            "apikey.anomalies.enabled=true",
            "apikey.anomalies.interval=10m",
            "apikey.webhooks.tenant-endpoints=true",
            "apikey.webhooks.max-attempts=3",
            "apikey.hasher.type=hmac-sha256",
            "apikey.hasher.pepper=" + WebhookStarterTest.PEPPER,
            "management.endpoints.web.exposure.include=configprops,env",
            "management.endpoint.configprops.show-values=always",
            "management.endpoint.env.show-values=always"})
class WebhookStarterTest {

    static final String SECRET = WebhookSigner.newSecret();
    static final String PEPPER = "cGVwcGVyLXBlcHBlci1wZXBwZXItcGVwcGVyLXBlcHBlci0xMjM0";

    /** A receiver on 127.0.0.1 that records each delivery's headers and body and answers 204. */
    record Delivery(String id, String timestamp, String signature, String body) {
    }

    static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
    /** What the host's own listener heard: it keeps hearing every event beside the channel. */
    static final List<String> HEARD = new CopyOnWriteArrayList<>();
    static final HttpServer RECEIVER = receiver();

    private static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                DELIVERIES.add(new Delivery(exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("apikey.webhooks.endpoints[0].url",
                () -> "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hooks");
        registry.add("apikey.webhooks.endpoints[0].secret", () -> SECRET);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        SecurityFilterChain web(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers("/admin/**").hasRole("APIKEY_ADMIN")
                            .requestMatchers("/actuator/**").permitAll().anyRequest().denyAll())
                    .httpBasic(Customizer.withDefaults()).csrf(c -> c.disable()).build();
        }

        @Bean
        dev.apikey.spi.KeyEventListener hostListener() {
            return new dev.apikey.spi.KeyEventListener() {
                @Override
                public void created(dev.apikey.model.ApiKeyInfo key) {
                    HEARD.add("created " + key.attributes().name());
                }
            };
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("sam").password("{noop}pw-sam").roles("APIKEY_ADMIN").build());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private HttpResponse<String> call(String method, String path, String body) {
        String basic = Base64.getEncoder().encodeToString("sam:pw-sam".getBytes(StandardCharsets.UTF_8));
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The Standard Webhooks signature, computed here from the specification, not by the library's signer. */
    private static String expectedSignature(Delivery d) throws Exception {
        byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] signed = mac.doFinal((d.id() + "." + d.timestamp() + "." + d.body()).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(signed);
    }

    @Test
    void aKeyEventReachesTheConfiguredEndpointSignedWithItsSecret() throws Exception {
        HttpResponse<String> created = call("POST", "/admin/api-keys/keys",
                "{\"name\":\"billing\",\"tenant_id\":\"92\",\"scopes\":[\"events:read\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> DELIVERIES.stream()
                .anyMatch(d -> d.body().contains("\"type\":\"key.created\"")));
        Delivery d = DELIVERIES.stream().filter(x -> x.body().contains("\"type\":\"key.created\"")).findFirst()
                .orElseThrow();
        assertThat(d.body()).contains("\"name\":\"billing\"");
        assertThat(List.of(d.signature().split(" "))).contains(expectedSignature(d));
        assertThat(context.getBeansOfType(WebhookChannel.class)).hasSize(1);
        assertThat(HEARD).as("the host's own listener, beside the channel").contains("created billing");
    }

    @Test
    void detectionAndTenantEndpointsAreOnInTheAdminApi() {
        HttpResponse<String> anomalies = call("GET", "/admin/api-keys/anomalies", null);
        assertThat(anomalies.statusCode()).as(anomalies.body()).isEqualTo(200);
        HttpResponse<String> webhooks = call("GET", "/admin/api-keys/tenants/92/webhooks", null);
        assertThat(webhooks.statusCode()).as(webhooks.body()).isEqualTo(200);
        assertThat(webhooks.body()).contains("\"webhooks\":[]");
    }

    @Test
    void noSecretShowsInTheActuatorOrInToString() {
        String secretPart = SECRET.substring("whsec_".length());
        for (String endpoint : List.of("/actuator/configprops", "/actuator/env")) {
            HttpResponse<String> answer = Http.get(port, endpoint, null);
            assertThat(answer.statusCode()).as(endpoint).isEqualTo(200);
            assertThat(answer.body()).as(endpoint).contains("apikey")
                    .doesNotContain(secretPart).doesNotContain(PEPPER);
        }
        ApiKeyProperties properties = context.getBean(ApiKeyProperties.class);
        assertThat(properties.getWebhooks().getEndpoints()).hasSize(1);
        assertThat(properties + " " + properties.getWebhooks() + " " + context.getBean(WebhookChannel.class))
                .doesNotContain(secretPart).doesNotContain(PEPPER);
    }
}
