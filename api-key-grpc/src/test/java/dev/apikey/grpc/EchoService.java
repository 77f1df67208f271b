package dev.apikey.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A test service without protoc: unary methods of strings, each answering who called (the principal from the
 * Context, or "anonymous").
 */
final class EchoService {

    static final String SERVICE = "test.Events";
    static final MethodDescriptor<String, String> LIST = method("List");
    static final MethodDescriptor<String, String> CREATE = method("Create");
    static final MethodDescriptor<String, String> UNMAPPED = method("Unmapped");
    static final MethodDescriptor<String, String> PING = method("Ping");
    static final MethodDescriptor<String, String> SEARCH = method("Search");

    private EchoService() {
    }

    static MethodDescriptor<String, String> method(String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(Utf8.INSTANCE).setResponseMarshaller(Utf8.INSTANCE).build();
    }

    /** The service: each method answers "method:keyId:scopes" of the caller in the Context. */
    static ServerServiceDefinition definition() {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(SERVICE);
        for (MethodDescriptor<String, String> method : java.util.List.of(LIST, CREATE, UNMAPPED, PING, SEARCH)) {
            service.addMethod(method, ServerCalls.asyncUnaryCall((request, response) -> {
                var principal = ApiKeyServerInterceptor.PRINCIPAL.get();
                response.onNext(method.getBareMethodName() + ":" + (principal == null ? "anonymous"
                        : principal.keyId() + ":" + new java.util.TreeSet<>(principal.scopes())));
                response.onCompleted();
            }));
        }
        return service.build();
    }

    /** UTF-8 text on the wire, bounded as a message is. */
    enum Utf8 implements MethodDescriptor.Marshaller<String> {
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
