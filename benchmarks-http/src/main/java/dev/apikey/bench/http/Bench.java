package dev.apikey.bench.http;

import dev.apikey.ApiKeys;
import dev.apikey.InMemoryKeyStore;
import dev.apikey.hash.Sha256Hasher;
import dev.apikey.model.KeySpec;
import dev.apikey.model.ScopeCatalog;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What every benchmark server shares: the endpoint's path and body, the scope it needs, the keys, and the two lines
 * the run script reads from standard output ({@code key <key>}, then {@code listening <port>}).
 */
final class Bench {

    /** The endpoint every server answers. */
    static final String PATH = "/hello";
    /** The scope {@code GET /hello} needs. */
    static final String SCOPE = "hello:read";
    /** The answer: a small JSON object. */
    static final String BODY = "{\"hello\":\"world\"}";
    /** The answer's bytes. */
    static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.US_ASCII);
    /** The scope catalog of every {@link ApiKeys} here. */
    static final ScopeCatalog SCOPES = ScopeCatalog.builder().scope(SCOPE, "Say hello").build();
    /** The key prefix of every {@link ApiKeys} here. */
    static final String PREFIX = "wlcro";

    private Bench() {
    }

    /** The three ways a server runs: unprotected, a team's own header check, the library's adapter. */
    enum Variant {
        /** No authentication. */
        NONE,
        /** {@link HandCheck}: the header looked up in a {@code HashMap}, as a team would write it. */
        HAND,
        /** Spring stacks only: Spring Security present, permitting every request ({@code SecuredOpen}). */
        OPEN,
        /** Spring stacks only: {@link HandCheck} inside the chain of {@link #OPEN}. */
        HAND_OPEN,
        /** WebFlux only: the starter's chain and route rules, with an authentication that verifies nothing. */
        OPEN_RULES,
        /** The library's adapter for the stack. */
        OURS,
        /** Spring MVC only: the starter without Spring Security ({@code ApiKeyFilter} registered by the starter). */
        OURS_FILTER;

        /** {@return the variant named {@code name}: none, hand, open, hand-open, open-rules, ours or ours-filter} */
        static Variant of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** {@return an in-memory verifier with SHA-256 stored hashes} (the key is cached after its first verify) */
    static ApiKeys apiKeys() {
        return ApiKeys.builder().prefix(PREFIX).store(new InMemoryKeyStore()).scopes(SCOPES)
                .hasher(Sha256Hasher.create()).build();
    }

    /** {@return a new key with {@link #SCOPE}, made in {@code apiKeys}} */
    static String mint(ApiKeys apiKeys) {
        return apiKeys.create(KeySpec.builder("bench").tenantId("92").scopes(SCOPE).build()).plaintext();
    }

    /** {@return a key of the library's shape, for the variants that do not verify with it} */
    static String throwawayKey() {
        try (ApiKeys apiKeys = apiKeys()) {
            return mint(apiKeys);
        }
    }

    /** Prints the key and the port for the run script; the benchmark's output, not a log. */
    static void announce(String key, int port) {
        System.out.println("key " + key);
        System.out.println("listening " + port);
        System.out.flush();
    }

    /** {@return argument {@code i}, or {@code fallback} when absent} */
    static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }
}
