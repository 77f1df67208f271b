package dev.apikey.parity;

import dev.apikey.model.Failure;

/** The gRPC status each failure maps to, as docs/GRPC.md's table says; RetryInfo where HTTP says Retry-After. */
final class GrpcMapping {

    private GrpcMapping() {
    }

    /** {@return the gRPC status code's name for a failure} */
    static String status(Failure failure) {
        if (failure.equals(Failure.MALFORMED_REQUEST)) {
            // By design (docs/GRPC.md): a metadata fault is about authentication, not the call's argument.
            return "UNAUTHENTICATED";
        }
        return switch (failure.httpStatus()) {
            case 401 -> "UNAUTHENTICATED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 400 -> "INVALID_ARGUMENT";
            default -> "PERMISSION_DENIED";
        };
    }

    /** {@return whether the status details carry a RetryInfo} */
    static boolean retryInfo(Failure failure) {
        return failure.httpStatus() == 429 || failure.httpStatus() == 503;
    }
}
