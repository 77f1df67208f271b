package dev.apikey.parity;

import java.util.List;
import java.util.Optional;

/**
 * The one table of where an adapter does not answer a case as the table says: cases it cannot express
 * ({@link Kind#NOT_APPLICABLE}, skipped), answers that differ by design ({@link Kind#BY_DESIGN}) and defects
 * ({@link Kind#DEFECT}); the last two are asserted as they are, so that a change in either fails the suite until
 * this table is updated. README's "Adapters answer alike" (docs/PARITY.md) repeats it with the reasons.
 */
final class NotApplicable {

    /** How an entry differs. */
    enum Kind {
        /** The adapter cannot express the case; not sent. */
        NOT_APPLICABLE,
        /** The adapter answers {@link Entry#answersInstead} on purpose. */
        BY_DESIGN,
        /** The adapter answers {@link Entry#answersInstead}, and should not: to be fixed in the adapter. */
        DEFECT
    }

    /**
     * An entry.
     *
     * @param adapter        the adapter's {@link Adapter#name()}
     * @param caseName       the case's {@link ParityCase#name()}
     * @param kind           how it differs
     * @param answersInstead for BY_DESIGN and DEFECT: the code (or {@code granted}) the adapter answers; else null
     * @param reason         why
     */
    record Entry(String adapter, String caseName, Kind kind, String answersInstead, String reason) {
    }

    private static final String JAXRS_TENANT = "no route templates, so no tenant from the path: Jakarta REST "
            + "matches the resource, and the resource checks the principal's tenantId()";
    private static final String JAXRS_PATH = "the Jakarta REST implementation matches the resource before the filter "
            + "runs; the filter screens no path spelling";

    static final List<Entry> ENTRIES = List.of(
            new Entry("jaxrs-jersey", "another tenant's resource", Kind.NOT_APPLICABLE, null, JAXRS_TENANT),
            new Entry("jaxrs-resteasy", "another tenant's resource", Kind.NOT_APPLICABLE, null, JAXRS_TENANT),
            new Entry("jaxrs-jersey", "non-canonical path", Kind.NOT_APPLICABLE, null, JAXRS_PATH),
            new Entry("jaxrs-resteasy", "non-canonical path", Kind.NOT_APPLICABLE, null, JAXRS_PATH),
            new Entry("jaxrs-jersey", "too many failed attempts", Kind.BY_DESIGN, "granted",
                    "the JDK's HTTP server gives the filter no peer address: the caller is the unknown source, "
                    + "whose count 127.0.0.1's wrong secrets do not add to (every caller of such a server shares "
                    + "that one count instead)"),
            new Entry("gateway", "non-canonical path", Kind.NOT_APPLICABLE, null,
                    "the case's path (/api/v1/events%20x) matches no route, and Spring Cloud Gateway answers a request "
                    + "no route matches itself (404), before any filter; a non-canonical path that a route matches "
                    + "is refused non_canonical_path (ApiKeyGatewayTest)"),
            new Entry("grpc", "another tenant's resource", Kind.NOT_APPLICABLE, null,
                    "a gRPC method has no path to name a tenant in; the handler checks the principal's tenantId()"),
            new Entry("grpc", "non-canonical path", Kind.NOT_APPLICABLE, null,
                    "a gRPC method name is not a path: an unknown one is UNIMPLEMENTED"),
            new Entry("grpc", "key in the URL", Kind.NOT_APPLICABLE, null, "a gRPC call has no query string"));

    private NotApplicable() {
    }

    /** {@return the entry for this adapter and case, if any} */
    static Optional<Entry> find(String adapter, String caseName) {
        return ENTRIES.stream().filter(e -> e.adapter().equals(adapter) && e.caseName().equals(caseName)).findFirst();
    }
}
