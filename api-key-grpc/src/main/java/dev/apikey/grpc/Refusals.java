package dev.apikey.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.apikey.model.Failure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;

/**
 * A refusal as a gRPC status and its trailers: the code by the failure's class, the failure's detail as the
 * description, and a {@code google.rpc.Status} in the trailers with an {@code ErrorInfo} (reason: our failure code,
 * domain {@value #DOMAIN}) and, where the client should retry later, a {@code RetryInfo}. Everything in them is the
 * library's or the host's own text (a detail, a scope name), never anything of the call's metadata.
 */
final class Refusals {

    /** The {@code ErrorInfo} domain of our failures. */
    static final String DOMAIN = "api-key";
    /** {@code grpc-status-details-bin}, where grpc's {@code StatusProto.fromThrowable} finds the details. */
    private static final Metadata.Key<com.google.rpc.Status> DETAILS = Metadata.Key.of("grpc-status-details-bin",
            ProtoUtils.metadataMarshaller(com.google.rpc.Status.getDefaultInstance()));

    private Refusals() {
    }

    /**
     * {@return the gRPC status code of a failure} By its HTTP status: 401 and {@code malformed_request} (the key's
     * metadata could not be used) UNAUTHENTICATED, 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, another 400 (a host's
     * failure; the HTTP-only {@code non_canonical_path} and {@code api_key_in_url}, never raised here)
     * INVALID_ARGUMENT, and any other (403, a host's 4xx) PERMISSION_DENIED: a refusal never reads as a success or
     * as a server bug.
     */
    static Status.Code codeOf(Failure failure) {
        if (failure.equals(Failure.MALFORMED_REQUEST)) {
            return Status.Code.UNAUTHENTICATED;
        }
        return switch (failure.httpStatus()) {
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 503 -> Status.Code.UNAVAILABLE;
            case 400 -> Status.Code.INVALID_ARGUMENT;
            default -> Status.Code.PERMISSION_DENIED;
        };
    }

    /**
     * The status and trailers of a refusal.
     *
     * @param failure      what refused
     * @param detail       the failure's detail for this call (naming a missing scope or an allowance)
     * @param missingScope for {@code insufficient_scope}: the scope the method requires, else {@code null}
     * @param retryAfter   how long to wait before retrying, or {@code null}
     * @return the status, with the trailers to close the call with in {@link Refusal#trailers()}
     */
    static Refusal of(Failure failure, String detail, String missingScope, Duration retryAfter) {
        Status.Code code = codeOf(failure);
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(failure.code()).setDomain(DOMAIN)
                .putMetadata("title", failure.title())
                .putMetadata("resolution", failure.resolution());
        if (missingScope != null) {
            info.putMetadata("missing_scope", missingScope);
        }
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.value())
                .setMessage(detail).addDetails(Any.pack(info.build()));
        if (retryAfter != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()));
        }
        Metadata trailers = new Metadata();
        trailers.put(DETAILS, status.build());
        return new Refusal(Status.fromCode(code).withDescription(detail), trailers);
    }

    /**
     * A refusal to close a call with.
     *
     * @param status   the status, its description the failure's detail
     * @param trailers the trailers holding the {@code google.rpc.Status} with the details
     */
    record Refusal(Status status, Metadata trailers) {
    }
}
