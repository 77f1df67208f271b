package dev.apikey.grpc;

import static org.assertj.core.api.Assertions.assertThat;

// README:grpc-server:imports:start
import dev.apikey.grpc.ApiKeyServerInterceptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
// README:grpc-server:imports:end
// README:grpc-client:imports:start
import com.google.rpc.ErrorInfo;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
// README:grpc-client:imports:end
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/GRPC.md's snippets, run as written over a real Netty server; {@code ReadmeSnippetsTest} (in api-key-cli)
 * checks that the page still shows them.
 */
class ReadmeGrpcQuickstartTest {

    private static Server start(ApiKeys apiKeys, ServerServiceDefinition eventsService) throws IOException {
        // README:grpc-server:start
        ApiKeyServerInterceptor apiKeyAuth = ApiKeyServerInterceptor.builder(apiKeys)
                .scope("test.Events/List", "events:read")
                .scope("test.Events/Create", "events:write")
                .build();                                    // any other method: refused (UNIMPLEMENTED)
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(eventsService, apiKeyAuth))
                .build().start();
        // In a handler: ApiKeyServerInterceptor.PRINCIPAL.get() is the caller's verified key.
        // README:grpc-server:end
        return server;
    }

    /** The client's side: the key in the metadata, and the failure code read from a refusal. */
    private static String callCreate(Channel channel, String apiKey) throws InvalidProtocolBufferException {
        MethodDescriptor<String, String> create = EchoService.CREATE;
        // README:grpc-client:start
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        Channel authenticated = ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers));  // or stub.withInterceptors(...)
        try {
            return ClientCalls.blockingUnaryCall(authenticated, create, CallOptions.DEFAULT
                    .withDeadlineAfter(10, TimeUnit.SECONDS), "hello");
        } catch (StatusRuntimeException refused) {
            com.google.rpc.Status status = StatusProto.fromThrowable(refused);
            for (Any detail : status.getDetailsList()) {
                if (detail.is(ErrorInfo.class)) {
                    return detail.unpack(ErrorInfo.class).getReason();   // e.g. "insufficient_scope"
                }
            }
            throw refused;
        }
        // README:grpc-client:end
    }

    @Test
    void theQuickstartProtectsAServiceAsDocumented() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("grpcq").store(new InMemoryKeyStore())
                .scopes(ApiKeyServerInterceptorTest.SCOPES).hasher(Sha256Hasher.create()).build()) {
            String reader = apiKeys.create(KeySpec.builder("reader").scopes("events:read").build()).plaintext();
            String writer = apiKeys.create(KeySpec.builder("writer").scopes("events:write").build()).plaintext();
            Server server = start(apiKeys, EchoService.definition());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                    .build();
            try {
                assertThat(callCreate(channel, writer)).startsWith("Create:" + apiKeys.keyFormat().parse(writer)
                        .orElseThrow().keyId());
                assertThat(callCreate(channel, reader)).isEqualTo("insufficient_scope");
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
