package dev.apikey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.model.WebhookEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Tenants' endpoints: registered only when https and public after resolution, each with its own secret; a tenant's
 * endpoints are the targets of its own events only; and a name that resolves to a private address by the time of
 * delivery (DNS rebinding) is refused then, without a request.
 */
class TenantWebhooksTest {

    /** A DNS the test controls: name to address. */
    private final Map<String, String> dns = new ConcurrentHashMap<>(Map.of(
            "hooks.tenant-a.example", "93.184.215.14", "hooks.tenant-b.example", "93.184.215.15",
            "metadata.example", "169.254.169.254", "internal.example", "10.1.2.3", "local.example", "127.0.0.1",
            "v6local.example", "::1", "ula.example", "fd00::1", "mapped.example", "::ffff:192.168.0.1"));
    private final HostResolver resolver = host -> {
        String a = dns.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(a)};
    };
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TenantWebhooks registry = TenantWebhooks.builder(store).resolver(resolver).build();

    @Test
    void registersAPublicHttpsEndpointWithItsOwnSecret() {
        WebhookEndpoint a = registry.register("92", "https://hooks.tenant-a.example/in");
        WebhookEndpoint b = registry.register("92", "https://hooks.tenant-a.example/other");
        assertThat(a.webhookId()).matches("wh_[A-Za-z0-9]{20}");
        assertThat(a.secret()).startsWith("whsec_").isNotEqualTo(b.secret());
        assertThat(registry.list("92")).containsExactly(a, b);
        assertThat(a.toString()).doesNotContain(a.secret());
    }

    @Test
    void refusesNamesThatResolveToNonPublicAddressesNamingTheField() {
        for (String host : new String[] {"metadata.example", "internal.example", "local.example", "v6local.example",
                "ula.example", "mapped.example", "127.0.0.1", "[::1]", "10.0.0.1"}) {
            assertThatThrownBy(() -> registry.register("92", "https://" + host + "/in"))
                    .as(host).isInstanceOf(WebhookUrlException.class)
                    .hasMessageStartingWith("url must resolve only to public addresses: ");
        }
        assertThatThrownBy(() -> registry.register("92", "http://hooks.tenant-a.example/in"))
                .hasMessage("url must use https");
        // A name that has no address and one that resolves to a private address get the same words: a tenant cannot
        // tell which internal names exist.
        assertThatThrownBy(() -> registry.register("92", "https://nowhere.example/in"))
                .isInstanceOf(WebhookUrlException.class)
                .hasMessage("url must resolve only to public addresses: nowhere.example has no address, or one that "
                        + "is not public");
        assertThatThrownBy(() -> registry.register("92", "https://internal.example/in"))
                .hasMessage("url must resolve only to public addresses: internal.example has no address, or one that "
                        + "is not public");
        assertThatThrownBy(() -> registry.register("92", "https://10.0.0.1/in"))
                .as("an address the tenant wrote is named by its kind").hasMessage(
                        "url must resolve only to public addresses: 10.0.0.1 is a private address");
        assertThat(registry.list("92")).as("nothing stored").isEmpty();
    }

    @Test
    void aTenantHasAtMostTenEndpoints() {
        for (int i = 0; i < TenantWebhooks.MAX_PER_TENANT; i++) {
            registry.register("92", "https://hooks.tenant-a.example/" + i);
        }
        assertThatThrownBy(() -> registry.register("92", "https://hooks.tenant-a.example/x"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.register("93", "https://hooks.tenant-b.example/")).isNotNull();
    }

    @Test
    void aTenantsEndpointsAreTheTargetsOfItsOwnEventsOnly() {
        WebhookEndpoint a = registry.register("92", "https://hooks.tenant-a.example/in");
        WebhookEndpoint b = registry.register("93", "https://hooks.tenant-b.example/in");
        try (WebhookChannel channel = WebhookChannel.builder().tenantEndpoints(registry).build()) {
            assertThat(channel.tenantTargets(new WebhookEvent("msg_a", "key.created", "92", "{}")))
                    .extracting(Courier.Target::label).containsExactly(a.webhookId());
            assertThat(channel.tenantTargets(new WebhookEvent("msg_b", "key.created", "93", "{}")))
                    .extracting(Courier.Target::label).containsExactly(b.webhookId());
            assertThat(channel.tenantTargets(new WebhookEvent("msg_c", "key.created", "94", "{}"))).isEmpty();
            assertThat(channel.tenantTargets(new WebhookEvent("msg_d", "key.created", null, "{}"))).isEmpty();
        }
        assertThat(registry.delete("93", a.webhookId())).isFalse();
        assertThat(registry.delete("92", a.webhookId())).isTrue();
    }

    @Test
    void aNameRebindingToAPrivateAddressIsRefusedAtDelivery() {
        registry.register("92", "https://hooks.tenant-a.example/in");
        dns.put("hooks.tenant-a.example", "127.0.0.1");
        try (WebhookChannel channel = WebhookChannel.builder().tenantEndpoints(registry)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build()) {
            channel.publish(new WebhookEvent("msg_rebind", "key.created", "92", "{}"));
            await().atMost(Duration.ofSeconds(20)).until(() -> channel.stats().refused() == 1);
            assertThat(channel.stats()).isEqualTo(new WebhookStats(0, 0, 0, 0, 1));
        }
    }
}
