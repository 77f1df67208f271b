package dev.apikey;

import dev.apikey.model.Failure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * How an HTTP adapter names a refusal in an RFC 9457 problem: its {@code type} is a base followed by the failure's
 * code ({@link Failure#code()}, or an admin API code), and the {@code code} member stays the stable identifier. The
 * default base, {@value #DEFAULT_BASE}, claims no domain and is not meant to be fetched; a host points the base at
 * its own error documentation instead ({@code https://docs.example.com/errors/}). One rule for every adapter (the
 * servlet filter, Spring Security, the admin API), so a base they all accept means the same everywhere.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProblemTypes {

    /** The default base: a URN that names no domain. */
    public static final String DEFAULT_BASE = "urn:apikey:problem:";
    /** The longest base, in characters. */
    public static final int MAX_BASE_LENGTH = 200;

    private ProblemTypes() {
    }

    /**
     * Checks a problem type base: the text each problem's code is appended to, to make its {@code type}.
     *
     * @param base e.g. {@code https://docs.example.com/errors/} or {@code urn:example:api-error:}
     * @return the base, unchanged
     * @throws NullPointerException     if base is null
     * @throws IllegalArgumentException naming the rule, unless 1 to 200 printable ASCII characters without spaces,
     *                                  quotes or angle brackets, ending in {@code /}, {@code :}, {@code #} or
     *                                  {@code =}, that make an absolute URI (with a scheme) once a code is appended
     */
    public static String requireBase(String base) {
        Objects.requireNonNull(base, "problem type base");
        boolean printable = !base.isEmpty() && base.length() <= MAX_BASE_LENGTH
                && base.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0);
        char last = base.isEmpty() ? ' ' : base.charAt(base.length() - 1);
        boolean absolute = false;
        if (printable && "/:#=".indexOf(last) >= 0) {
            try {
                absolute = new URI(base + "not_found").isAbsolute();
            } catch (URISyntaxException e) {
                absolute = false;
            }
        }
        if (!absolute) {
            throw new IllegalArgumentException("problem type base must be an absolute URI of 1 to " + MAX_BASE_LENGTH
                    + " printable ASCII characters (no spaces, quotes or angle brackets) ending in '/', ':', '#' or"
                    + " '=', e.g. https://docs.example.com/errors/ or " + DEFAULT_BASE);
        }
        return base;
    }
}
