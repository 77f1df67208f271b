/**
 * API-key authentication for grpc-java servers: {@link dev.apikey.grpc.ApiKeyServerInterceptor} reads the key from
 * the call's metadata, verifies it with the scope of the method called, and either puts the caller's
 * {@link dev.apikey.model.ApiKeyPrincipal} in the gRPC {@link io.grpc.Context} or closes the call with a status whose
 * details say why (a {@code google.rpc.ErrorInfo} with our failure code, and a {@code google.rpc.RetryInfo} where
 * retrying later helps). Uses the core's public API only.
 */
package dev.apikey.grpc;
