package dev.apikey.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each refused call gets trailers of its own: the transport writes grpc-status and grpc-message into the trailers it
 * is given, so one instance shared by calls on several threads would be written by all of them at once.
 */
class RefusalTrailersTest {

    @Test
    void everyRefusalClosesItsCallWithItsOwnTrailers() {
        try (ApiKeys apiKeys = ApiKeys.builder().prefix("grpcr").store(new InMemoryKeyStore())
                .scopes(ApiKeyServerInterceptorTest.SCOPES).hasher(Sha256Hasher.create()).build()) {
            ApiKeyServerInterceptor interceptor = ApiKeyServerInterceptor.builder(apiKeys)
                    .scope(EchoService.LIST.getFullMethodName(), "events:read").build();
            ServerCallHandler<String, String> unreachable = (call, headers) -> {
                throw new AssertionError("a refused call reached its handler");
            };
            List<Metadata> trailers = new ArrayList<>();
            for (MethodDescriptor<String, String> method : List.of(EchoService.UNMAPPED, EchoService.UNMAPPED,
                    EchoService.LIST, EchoService.LIST)) {
                ClosedCall call = new ClosedCall(method);
                interceptor.interceptCall(call, new Metadata(), unreachable);
                assertThat(call.status).isNotNull();
                trailers.add(call.trailers);
            }
            for (int i = 0; i < trailers.size(); i++) {
                for (int j = i + 1; j < trailers.size(); j++) {
                    assertThat(trailers.get(i)).as("trailers of calls %d and %d", i, j).isNotSameAs(trailers.get(j));
                }
            }
        }
    }

    /** A call that records how it was closed; grpc's own type, standing in for a transport's. */
    private static final class ClosedCall extends ServerCall<String, String> {
        private final MethodDescriptor<String, String> method;
        Status status;
        Metadata trailers;

        ClosedCall(MethodDescriptor<String, String> method) {
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(String message) {
        }

        @Override
        public void close(Status status, Metadata trailers) {
            this.status = status;
            this.trailers = trailers;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public MethodDescriptor<String, String> getMethodDescriptor() {
            return method;
        }
    }
}
