package dev.apikey.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A transport without an IP peer (in-process): keys verify without an address, and a key that may only be used
 * from listed addresses is refused rather than let through unchecked. A method without a scope of its own takes the
 * default scope when one is set.
 */
class InProcessTransportTest {

    @Test
    void withoutAPeerAddressAnAllowListedKeyIsRefusedAndOthersGoOn() throws Exception {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("grpci").store(new InMemoryKeyStore())
                .scopes(ApiKeyServerInterceptorTest.SCOPES).hasher(Sha256Hasher.create()).build()) {
            String plain = apiKeys.create(KeySpec.builder("plain").scopes("events:read").build()).plaintext();
            String listed = apiKeys.create(KeySpec.builder("listed").scopes("events:read")
                    .allowedAddresses("127.0.0.1/32").build()).plaintext();
            ApiKeyServerInterceptor interceptor = ApiKeyServerInterceptor.builder(apiKeys)
                    .scope(EchoService.CREATE.getFullMethodName(), "events:write")
                    .defaultScope("events:read")
                    .build();
            String name = InProcessServerBuilder.generateName();
            Server server = InProcessServerBuilder.forName(name)
                    .addService(ServerInterceptors.intercept(EchoService.definition(), interceptor)).build().start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                assertThat(call(channel, plain, EchoService.UNMAPPED)).as("the default scope")
                        .startsWith("Unmapped:");
                assertThat(call(channel, plain, EchoService.LIST)).startsWith("List:");
                StatusRuntimeException refused = refused(channel, listed);
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(StatusProto.fromThrowable(refused).getDetails(0).unpack(ErrorInfo.class).getReason())
                        .isEqualTo("ip_not_allowed");
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String call(ManagedChannel channel, String key,
            io.grpc.MethodDescriptor<String, String> method) {
        Metadata headers = new Metadata();
        headers.put(KeyMetadata.X_API_KEY, key);
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)), method,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hello");
    }

    private static StatusRuntimeException refused(ManagedChannel channel, String key) {
        try {
            throw new AssertionError("expected a refusal, was answered " + call(channel, key, EchoService.LIST));
        } catch (StatusRuntimeException e) {
            return e;
        }
    }
}
