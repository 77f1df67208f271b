package dev.apikey.spring.openapi;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * What a handler method says about the scopes it needs: {@link DocumentedScope}, or a {@code @PreAuthorize}
 * expression made of {@code hasAuthority('SCOPE_…')} / {@code hasAnyAuthority('SCOPE_…', …)} checks joined by
 * {@code and} or by {@code or} (not both). An expression it cannot read (a role, a bean call, {@code and} with
 * {@code or}) documents no scopes; the operation's description then quotes it.
 *
 * @param alternatives the sets of scopes any one of which suffices; empty if the handler says nothing readable
 * @param unreadable   a {@code @PreAuthorize} expression that could not be read as scopes, or {@code null}
 */
record HandlerScopes(List<Set<String>> alternatives, String unreadable) {

    private static final String PRE_AUTHORIZE = "org.springframework.security.access.prepost.PreAuthorize";
    private static final Pattern SCOPE = Pattern.compile("'SCOPE_([^']+)'");
    private static final Pattern CHECK = Pattern.compile("has(Any)?Authority\\(\\s*'SCOPE_[^']+'(\\s*,\\s*'SCOPE_[^']+')*"
            + "\\s*\\)");
    private static final HandlerScopes NONE = new HandlerScopes(List.of(), null);

    /** {@return what the handler says, from its method or else its class} */
    static HandlerScopes of(HandlerMethod handler) {
        HandlerScopes method = read(handler.getMethod());
        return method != NONE ? method : read(handler.getBeanType());
    }

    private static HandlerScopes read(AnnotatedElement element) {
        DocumentedScope documented = AnnotatedElementUtils.findMergedAnnotation(element, DocumentedScope.class);
        if (documented != null) {
            return new HandlerScopes(List.of(new LinkedHashSet<>(List.of(documented.value()))), null);
        }
        String expression = preAuthorize(element);
        return expression == null ? NONE : parse(expression);
    }

    /** The {@code @PreAuthorize} expression, if Spring Security is on the class path and the element has one. */
    @SuppressWarnings("unchecked")
    private static String preAuthorize(AnnotatedElement element) {
        ClassLoader loader = HandlerScopes.class.getClassLoader();
        if (!ClassUtils.isPresent(PRE_AUTHORIZE, loader)) {
            return null;
        }
        Class<? extends java.lang.annotation.Annotation> type =
                (Class<? extends java.lang.annotation.Annotation>) ClassUtils.resolveClassName(PRE_AUTHORIZE, loader);
        var attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(element, type, false, false);
        return attributes == null ? null : attributes.getString("value");
    }

    /** Reads an expression of scope checks joined by {@code and} or by {@code or}. */
    static HandlerScopes parse(String expression) {
        String rest = CHECK.matcher(expression).replaceAll("").replaceAll("[()\\s]", "").toLowerCase(Locale.ROOT);
        boolean and = rest.contains("and") || rest.contains("&&");
        boolean or = rest.contains("or") || rest.contains("||");
        String joins = rest.replace("and", "").replace("&&", "").replace("or", "").replace("||", "");
        Matcher checks = CHECK.matcher(expression);
        List<String> groups = new ArrayList<>();
        while (checks.find()) {
            groups.add(checks.group());
        }
        if (!joins.isEmpty() || groups.isEmpty() || (and && or)) {
            return new HandlerScopes(List.of(), expression);
        }
        boolean anyOf = or || (groups.size() == 1 && groups.get(0).startsWith("hasAny"));
        if (!anyOf && groups.stream().anyMatch(g -> g.startsWith("hasAny") && scopes(g).size() > 1)) {
            // hasAnyAuthority(a, b) and hasAuthority(c): (a or b) and c, more than one requirement list can say.
            return new HandlerScopes(List.of(), expression);
        }
        Set<String> all = new LinkedHashSet<>();
        groups.forEach(g -> all.addAll(scopes(g)));
        if (!anyOf) {
            return new HandlerScopes(List.of(all), null);
        }
        return new HandlerScopes(all.stream().map(s -> (Set<String>) new LinkedHashSet<>(List.of(s))).toList(), null);
    }

    private static List<String> scopes(String check) {
        List<String> out = new ArrayList<>();
        Matcher m = SCOPE.matcher(check);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
