package dev.apikey.parity;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.apikey.grpc.ApiKeyServerInterceptor;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link ApiKeyServerInterceptor} on grpc-java's Netty server, asked over a real plaintext channel on 127.0.0.1.
 * A case's method and path name a gRPC method ({@link #METHODS}); its header lines are sent as metadata.
 */
final class GrpcAdapter implements Adapter {

    /** The HTTP routes that have a gRPC method: {@code METHOD path} to the method's full name. */
    static final Map<String, String> METHODS = Map.of("GET /api/v1/events", "test.Events/List",
            "POST /api/v1/events/test", "test.Events/Create");

    private Server server;
    private ManagedChannel channel;

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public boolean grpc() {
        return true;
    }

    @Override
    public void start(Fixture fixture) throws IOException {
        ApiKeyServerInterceptor interceptor = ApiKeyServerInterceptor.builder(fixture.apiKeys)
                .scope("test.Events/List", "events:read").scope("test.Events/Create", "events:write").build();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder("test.Events");
        for (String name : METHODS.values()) {
            service.addMethod(method(name), ServerCalls.asyncUnaryCall((request, response) -> {
                response.onNext(HttpAdapter.granted(ApiKeyServerInterceptor.PRINCIPAL.get()));
                response.onCompleted();
            }));
        }
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(service.build(), interceptor)).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @Override
    public Answer answer(Ask ask) throws Exception {
        String name = METHODS.get(ask.method() + " " + ask.target());
        if (name == null) {
            throw new IllegalArgumentException("no gRPC method for " + ask + ": mark the case in NotApplicable");
        }
        Metadata metadata = new Metadata();
        for (String line : ask.headers()) {
            int colon = line.indexOf(':');
            metadata.put(Metadata.Key.of(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    Metadata.ASCII_STRING_MARSHALLER), line.substring(colon + 1).strip());
        }
        var authenticated = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
        try {
            String reply = ClientCalls.blockingUnaryCall(authenticated, method(name),
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "");
            String principal = reply.startsWith("ok ") ? reply.substring(3) : null;
            return new Answer(-1, "OK", Map.of(), Map.of(), principal, reply);
        } catch (StatusRuntimeException refused) {
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, Object> members = new LinkedHashMap<>();
            com.google.rpc.Status status = StatusProto.fromThrowable(refused);
            if (status != null) {
                for (Any detail : status.getDetailsList()) {
                    if (detail.is(ErrorInfo.class)) {
                        ErrorInfo info = detail.unpack(ErrorInfo.class);
                        members.put("code", info.getReason());
                        members.put("domain", info.getDomain());
                        members.putAll(info.getMetadataMap());
                    } else if (detail.is(RetryInfo.class)) {
                        headers.put("retry-info", String.valueOf(detail.unpack(RetryInfo.class).getRetryDelay()
                                .getSeconds()));
                    }
                }
            }
            if (refused.getStatus().getDescription() != null) {
                members.put("detail", refused.getStatus().getDescription());
            }
            return new Answer(-1, refused.getStatus().getCode().name(), headers, members, null,
                    refused.getStatus().toString());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static MethodDescriptor<String, String> method(String fullName) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullName).setRequestMarshaller(Utf8.INSTANCE)
                .setResponseMarshaller(Utf8.INSTANCE).build();
    }

    /** UTF-8 text on the wire, bounded as a message is: no code generation needed. */
    private enum Utf8 implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
