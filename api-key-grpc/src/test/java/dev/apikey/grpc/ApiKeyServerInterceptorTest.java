package dev.apikey.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.IssuedKey;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeyFormat;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.model.ScopeCatalog;
import dev.apikey.model.UnknownScopeException;
import dev.apikey.spi.KeyStore;
import dev.apikey.spi.KeyStoreException;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptor on a real Netty server on 127.0.0.1, called by a real client channel. */
class ApiKeyServerInterceptorTest {

    static final ScopeCatalog SCOPES = ScopeCatalog.builder()
            .scope("events:read", "Read events")
            .scope("events:write", "Create events")
            .build();

    private final AtomicBoolean storeDown = new AtomicBoolean();
    /** Every key sent in this test, none of which may appear in a status or trailer. */
    private final List<String> sent = new ArrayList<>();
    private ApiKeys apiKeys;
    private Server server;
    private ManagedChannel channel;
    private String key;

    @BeforeEach
    void start() throws Exception {
        InMemoryKeyStore memory = new InMemoryKeyStore();
        // A real store whose reads fail on demand, as a database that went away.
        KeyStore store = (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(),
                new Class<?>[] {KeyStore.class}, (proxy, method, args) -> {
                    if (storeDown.get() && method.getName().equals("findById")) {
                        throw new KeyStoreException("connection refused (simulated)", null);
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        apiKeys = ApiKeys.builder().prefix("grpct").store(store).scopes(SCOPES).hasher(Sha256Hasher.create())
                .build();
        key = create(KeySpec.builder("reader").scopes("events:read"));
        ApiKeyServerInterceptor interceptor = ApiKeyServerInterceptor.builder(apiKeys)
                .scopes(Map.of(EchoService.LIST.getFullMethodName(), "events:read",
                        EchoService.CREATE.getFullMethodName(), "events:write"))
                .publicMethod(EchoService.PING.getFullMethodName())
                .scope(EchoService.SEARCH.getFullMethodName(), "events:read", 4)
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(EchoService.definition(), interceptor))
                .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        apiKeys.close();
    }

    private String create(KeySpec.Builder spec) {
        IssuedKey issued = apiKeys.create(spec.build());
        sent.add(issued.plaintext());
        return issued.plaintext();
    }

    @Test
    void aGrantedCallReachesItsHandlerWithThePrincipalInTheContext() {
        String keyId = apiKeys.keyFormat().parse(key).orElseThrow().keyId();
        assertThat(call(EchoService.LIST, "x-api-key", key)).isEqualTo("List:" + keyId + ":[events:read]");
        assertThat(call(EchoService.LIST, "authorization", "Bearer " + key)).isEqualTo("List:" + keyId
                + ":[events:read]");
        assertThat(call(EchoService.LIST, "x-api-key", key, "authorization", "bearer " + key))
                .as("both, with the same key").startsWith("List:" + keyId);
    }

    @Test
    void aCallWithoutAKeyIsUnauthenticated() {
        StatusRuntimeException refused = refused(EchoService.LIST);
        assertRefusal(refused, Status.Code.UNAUTHENTICATED, "missing_api_key");
        assertThat(retryInfo(refused)).isNull();
    }

    @Test
    void metadataThatCannotBeUsedIsAMalformedRequest() {
        String other = create(KeySpec.builder("other").scopes("events:read"));
        String[][] cases = {
            {"x-api-key", key, "authorization", "Bearer " + other},
            {"x-api-key", key, "x-api-key", key},
            {"authorization", "Bearer " + key, "authorization", "Bearer " + key},
            {"authorization", "Basic " + key},
            {"x-api-key", "Bearer " + key},
        };
        for (String[] metadata : cases) {
            StatusRuntimeException refused = refused(EchoService.LIST, metadata);
            assertRefusal(refused, Status.Code.UNAUTHENTICATED, "malformed_request");
        }
    }

    @Test
    void aWrongSecretAndARevokedKeyAreUnauthenticated() {
        String wrong = withSecret(key, "x".repeat(32));
        sent.add(wrong);
        assertRefusal(refused(EchoService.LIST, "x-api-key", wrong), Status.Code.UNAUTHENTICATED, "invalid_api_key");
        assertRefusal(refused(EchoService.LIST, "x-api-key", key.substring(0, key.length() - 1) + "?"),
                Status.Code.UNAUTHENTICATED, "malformed_api_key");

        apiKeys.revoke(apiKeys.keyFormat().parse(key).orElseThrow().keyId());
        assertRefusal(refused(EchoService.LIST, "x-api-key", key), Status.Code.UNAUTHENTICATED, "revoked_api_key");
    }

    @Test
    void aKeyWithoutTheMethodsScopeIsPermissionDenied() {
        StatusRuntimeException refused = refused(EchoService.CREATE, "x-api-key", key);
        assertRefusal(refused, Status.Code.PERMISSION_DENIED, "insufficient_scope");
        assertThat(refused.getStatus().getDescription()).contains("events:write");
        assertThat(errorInfo(refused).getMetadataMap()).containsEntry("missing_scope", "events:write");
    }

    @Test
    void aMethodWithoutAScopeIsRefusedWithoutItsKeyBeingRead() {
        StatusRuntimeException refused = refused(EchoService.UNMAPPED, "x-api-key", key);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(apiKeys.stats().totalVerifies()).as("no verify").isZero();
        assertNoKeyIn(refused);
    }

    @Test
    void aPublicMethodIsCalledWithoutItsMetadataBeingRead() {
        assertThat(call(EchoService.PING)).isEqualTo("Ping:anonymous");
        assertThat(call(EchoService.PING, "x-api-key", key, "authorization", "Basic x")).isEqualTo("Ping:anonymous");
        assertThat(apiKeys.stats().totalVerifies()).as("no verify").isZero();
    }

    @Test
    void theCallersAddressIsThePeersAndIsChecked() {
        String office = create(KeySpec.builder("office").scopes("events:read").allowedAddresses("203.0.113.0/24"));
        assertRefusal(refused(EchoService.LIST, "x-api-key", office), Status.Code.PERMISSION_DENIED,
                "ip_not_allowed");
        String local = create(KeySpec.builder("local").scopes("events:read").allowedAddresses("127.0.0.1/32"));
        assertThat(call(EchoService.LIST, "x-api-key", local)).startsWith("List:");
        // A forwarding header is not the peer.
        assertRefusal(refused(EchoService.LIST, "x-api-key", office, "x-forwarded-for", "203.0.113.7"),
                Status.Code.PERMISSION_DENIED, "ip_not_allowed");
    }

    @Test
    void aRateLimitedKeyIsResourceExhaustedWithRetryInfo() {
        String limited = create(KeySpec.builder("limited").scopes("events:read").rateLimit(RateLimit.perMinute(1)));
        assertThat(call(EchoService.LIST, "x-api-key", limited)).startsWith("List:");
        StatusRuntimeException refused = refused(EchoService.LIST, "x-api-key", limited);
        assertRefusal(refused, Status.Code.RESOURCE_EXHAUSTED, "rate_limited");
        assertThat(retryInfo(refused).getRetryDelay().getSeconds()).isEqualTo(60);
    }

    @Test
    void aMethodOfCostFourSpendsFourOfTheQuotaAndOneOfCostOneTheRest() {
        String metered = create(KeySpec.builder("metered").scopes("events:read").quota(Quota.perDay(10)));
        assertThat(call(EchoService.SEARCH, "x-api-key", metered)).startsWith("Search:");
        assertThat(call(EchoService.SEARCH, "x-api-key", metered)).startsWith("Search:");
        StatusRuntimeException refused = refused(EchoService.SEARCH, "x-api-key", metered);
        assertRefusal(refused, Status.Code.RESOURCE_EXHAUSTED, "quota_exceeded");
        assertThat(retryInfo(refused)).as("RetryInfo: the quota's next window").isNotNull();
        // The refused call spent nothing: 2 of 10 are left for calls of cost 1.
        assertThat(call(EchoService.LIST, "x-api-key", metered)).startsWith("List:");
        assertThat(call(EchoService.LIST, "x-api-key", metered)).startsWith("List:");
        assertRefusal(refused(EchoService.LIST, "x-api-key", metered), Status.Code.RESOURCE_EXHAUSTED,
                "quota_exceeded");
    }

    @Test
    void aCostOutOfRangeIsRefusedWhenTheMethodIsMapped() {
        var builder = ApiKeyServerInterceptor.builder(apiKeys);
        for (long bad : new long[] {0, -4, 1_000_001}) {
            assertThatThrownBy(() -> builder.scope("test.Events/Search", "events:read", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cost must be 1 to 1000000, was " + bad + " for 'test.Events/Search'");
        }
        builder.scope("test.Events/Search", "events:read", 1_000_000).scope("test.Events/List", "events:read", 1);
        assertThat(builder.build()).hasToString("ApiKeyServerInterceptor[2 methods mapped (1 costing more than 1), "
                + "0 public, others refused]");
    }

    @Test
    void aStoreFailureIsUnavailableWithRetryInfo() {
        String cold = create(KeySpec.builder("cold").scopes("events:read"));
        assertThat(call(EchoService.LIST, "x-api-key", key)).startsWith("List:");
        storeDown.set(true);
        StatusRuntimeException refused = refused(EchoService.LIST, "x-api-key", cold);
        assertRefusal(refused, Status.Code.UNAVAILABLE, "store_unavailable");
        assertThat(retryInfo(refused).getRetryDelay().getSeconds()).isEqualTo(5);
        assertThat(call(EchoService.LIST, "x-api-key", key)).as("a cached key, store down").startsWith("List:");
    }

    @Test
    void aBuilderRefusesWhatCannotWork() {
        var builder = ApiKeyServerInterceptor.builder(apiKeys);
        assertThatThrownBy(() -> builder.scope("test.Events/List", "events:delete"))
                .isInstanceOf(UnknownScopeException.class).hasMessageContaining("events:delete");
        assertThatThrownBy(() -> builder.scope("List", "events:read"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fullMethodName");
        assertThatThrownBy(() -> builder.defaultScope("nope:nope")).isInstanceOf(UnknownScopeException.class);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("defaultScope");
        builder.scope("test.Events/List", "events:read");
        assertThatThrownBy(() -> builder.scope("test.Events/List", "events:write"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapped already");
        assertThatThrownBy(() -> builder.publicMethod("test.Events/List"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapped already");
        builder.publicMethod("test.Events/Ping");
        assertThatThrownBy(() -> builder.scope("test.Events/Ping", "events:read"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to 'public'");
        assertThatThrownBy(() -> builder.publicMethod("test.Events/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fullMethodName must be");
    }

    /** The key with another secret and its checksum recomputed: well-formed, but the wrong secret. */
    private static String withSecret(String plaintext, String secret) {
        String body = plaintext.substring(0, plaintext.length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH)
                + secret;
        return body + KeyFormat.checksum(body);
    }

    private String call(MethodDescriptor<String, String> method, String... metadata) {
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(metadata(metadata))), method,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hello");
    }

    private StatusRuntimeException refused(MethodDescriptor<String, String> method, String... metadata) {
        try {
            String answer = call(method, metadata);
            throw new AssertionError("expected a refusal, was answered " + answer);
        } catch (StatusRuntimeException e) {
            return e;
        }
    }

    private static Metadata metadata(String... namesAndValues) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            metadata.put(Metadata.Key.of(namesAndValues[i], Metadata.ASCII_STRING_MARSHALLER), namesAndValues[i + 1]);
        }
        return metadata;
    }

    /** The code, our failure code in the details' ErrorInfo, and no key anywhere in the answer. */
    private void assertRefusal(StatusRuntimeException refused, Status.Code code, String reason) {
        assertThat(refused.getStatus().getCode()).as(reason).isEqualTo(code);
        ErrorInfo info = errorInfo(refused);
        assertThat(info).as("ErrorInfo in %s", refused.getTrailers()).isNotNull();
        assertThat(info.getReason()).isEqualTo(reason);
        assertThat(info.getDomain()).isEqualTo("api-key");
        assertThat(refused.getStatus().getDescription()).isNotBlank();
        assertNoKeyIn(refused);
    }

    private void assertNoKeyIn(StatusRuntimeException refused) {
        com.google.rpc.Status details = StatusProto.fromThrowable(refused);
        List<String> texts = new ArrayList<>(List.of(String.valueOf(refused.getStatus()), String.valueOf(details),
                String.valueOf(refused.getTrailers())));
        Metadata trailers = refused.getTrailers();
        for (String name : trailers.keys()) {
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                trailers.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER))
                        .forEach(v -> texts.add(new String(v, java.nio.charset.StandardCharsets.ISO_8859_1)));
            } else {
                trailers.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)).forEach(texts::add);
            }
        }
        for (String k : sent) {
            String secret = k.substring(k.length() - KeyFormat.TOKEN_LENGTH + KeyFormat.KEY_ID_LENGTH);
            assertThat(texts).noneMatch(t -> t.contains(k) || t.contains(secret));
        }
    }

    private static ErrorInfo errorInfo(StatusRuntimeException refused) {
        return detail(refused, ErrorInfo.class);
    }

    private static RetryInfo retryInfo(StatusRuntimeException refused) {
        return detail(refused, RetryInfo.class);
    }

    private static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException refused, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(refused);
        assertThat(status).as("google.rpc.Status in the trailers").isNotNull();
        assertThat(status.getCode()).isEqualTo(refused.getStatus().getCode().value());
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return any.unpack(type);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return null;
    }
}
