package dev.apikey.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The rule for country codes, for keys' and tenants' country lists and for the country a request comes from: ISO
 * 3166-1 alpha-2, as the JDK knows them ({@link Locale#getISOCountries()}), upper-cased with {@link Locale#ROOT}.
 * A resolver's "unknown" markers ({@code XX}, {@code T1}, {@code ZZ}, empty) are not codes: they read as unknown.
 *
 * <p>Not API. Thread-safe: stateless.
 */
public final class Countries {

    /** Most countries one list holds: every code there is. */
    public static final int MAX = 250;

    private static final Set<String> ISO = Set.of(Locale.getISOCountries());

    private Countries() {
    }

    /**
     * {@return {@code code} upper-cased if it is an ISO 3166-1 alpha-2 code, else {@code null}}; allocates only
     * when the code is sent in lower case.
     *
     * @param code what a resolver found, or {@code null}
     */
    public static String normalize(String code) {
        if (code == null || code.length() != 2) {
            return null;
        }
        String upper = isUpper(code) ? code : code.toUpperCase(Locale.ROOT);
        return ISO.contains(upper) ? upper : null;
    }

    private static boolean isUpper(String code) {
        return code.charAt(0) >= 'A' && code.charAt(0) <= 'Z' && code.charAt(1) >= 'A' && code.charAt(1) <= 'Z';
    }

    /**
     * Checks and upper-cases a list of codes.
     *
     * @param field the field to name in a refusal, e.g. {@code allowedCountries}
     * @param codes the codes, in any case
     * @return the codes, upper-cased, sorted, without duplicates; unmodifiable
     * @throws IllegalArgumentException naming the field and the code, if one is not an ISO 3166-1 alpha-2 code
     * @throws NullPointerException     if codes or one of them is null
     */
    public static SortedSet<String> checked(String field, Collection<String> codes) {
        SortedSet<String> out = new TreeSet<>();
        for (String code : Objects.requireNonNull(codes, field)) {
            Objects.requireNonNull(code, field + " must not contain null");
            String normalized = normalize(code.strip());
            if (normalized == null) {
                throw new IllegalArgumentException(field + ": " + shown(code) + " is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE, US)");
            }
            out.add(normalized);
        }
        if (out.size() > MAX) {
            throw new IllegalArgumentException(field + " may hold at most " + MAX + " countries");
        }
        return Collections.unmodifiableSortedSet(out);
    }

    /** The code as sent, when it is short and plain enough to repeat; else a stand-in. */
    private static String shown(String code) {
        return code.length() <= 8 && code.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))
                ? "'" + code + "'" : "a value";
    }

    /** {@return the codes as {@link #checked}, from an array} */
    public static SortedSet<String> checked(String field, String... codes) {
        return checked(field, Arrays.asList(Objects.requireNonNull(codes, field)));
    }
}
