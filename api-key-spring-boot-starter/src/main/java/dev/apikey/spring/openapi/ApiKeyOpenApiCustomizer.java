package dev.apikey.spring.openapi;

import dev.apikey.model.Failure;
import dev.apikey.servlet.Route;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

/**
 * Puts API keys into the host's OpenAPI document: the two ways to send a key as security schemes ({@value #HEADER}
 * in {@code X-Api-Key}, {@value #BEARER} in {@code Authorization: Bearer}), and on each operation the scopes it
 * needs (from the first route rule that covers it, and its handler's {@code @PreAuthorize} or
 * {@link DocumentedScope}), the refusals it may answer as RFC 9457 problems, or {@code security: []} on a public
 * route. An operation that no rule covers and whose handler says nothing is left as it is: the starter cannot read
 * rules built in code inside a chain.
 */
final class ApiKeyOpenApiCustomizer implements GlobalOpenApiCustomizer {

    /** The security scheme of a key in {@code X-Api-Key}. */
    static final String HEADER = "apiKey";
    /** The security scheme of a key in {@code Authorization: Bearer}. */
    static final String BEARER = "apiKeyBearer";
    /** The schema of a refusal. */
    static final String PROBLEM = "ApiKeyProblem";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String REFUSAL = "ApiKey";

    private final Supplier<List<Route>> routes;

    /** @param routes the route rules, in order, read when the document is built */
    ApiKeyOpenApiCustomizer(Supplier<List<Route>> routes) {
        this.routes = routes;
    }

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSecuritySchemes(HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-Api-Key").description("An API key."));
        components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .bearerFormat("API key").description("An API key as a bearer token."));
        components.addSchemas(PROBLEM, problemSchema());
        refusals().forEach((status, codes) -> components.addResponses(REFUSAL + status, new ApiResponse()
                .description(String.join(", ", codes)).content(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))))));
        if (openApi.getPaths() == null) {
            return;
        }
        List<Route> rules = routes.get();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                document(path, method, operation, rules)));
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation, List<Route> rules) {
        Map<String, Object> extensions = operation.getExtensions();
        @SuppressWarnings("unchecked")
        List<List<String>> handler = extensions == null ? null
                : (List<List<String>>) extensions.remove(ApiKeyOperationCustomizer.HANDLER_SCOPES);
        String expression = extensions == null ? null
                : (String) extensions.remove(ApiKeyOperationCustomizer.HANDLER_EXPRESSION);
        if (extensions != null && extensions.isEmpty()) {
            operation.setExtensions(null);
        }
        Route route = covering(rules, method.name(), path);
        if (route != null && route.isPublic()) {
            operation.setSecurity(new ArrayList<>());
            return;
        }
        if (route == null && handler == null && expression == null) {
            return;
        }
        List<Set<String>> alternatives = new ArrayList<>();
        for (List<String> scopes : handler == null ? List.<List<String>>of(List.of()) : handler) {
            Set<String> all = new LinkedHashSet<>();
            if (route != null && route.scope() != null) {
                all.add(route.scope());
            }
            all.addAll(scopes);
            alternatives.add(all);
        }
        List<SecurityRequirement> security = new ArrayList<>();
        for (Set<String> scopes : alternatives) {
            security.add(new SecurityRequirement().addList(HEADER, List.copyOf(scopes)));
            security.add(new SecurityRequirement().addList(BEARER, List.copyOf(scopes)));
        }
        operation.setSecurity(security);
        operation.setDescription(join(operation.getDescription(), describe(alternatives, expression)));
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        for (int status : refusals().keySet()) {
            responses.putIfAbsent(Integer.toString(status), new ApiResponse()
                    .$ref("#/components/responses/" + REFUSAL + status));
        }
    }

    /** The first route that covers every request of the operation: its method (or any), its path segment by segment. */
    static Route covering(List<Route> rules, String method, String path) {
        for (Route r : rules) {
            boolean methodMatches = r.method().equals("*") || r.method().equals(method)
                    || (method.equals("HEAD") && r.method().equals("GET"));
            if (methodMatches && covers(r.path(), path)) {
                return r;
            }
        }
        return null;
    }

    private static boolean covers(String template, String path) {
        String[] want = template.split("/", -1);
        String[] have = path.split("/", -1);
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            // A route's {name} takes any one segment, the operation's own {variable} included.
            if (!(isVariable(want[i]) || want[i].equals(have[i]))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVariable(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static String describe(List<Set<String>> alternatives, String expression) {
        StringBuilder out = new StringBuilder("Needs an API key");
        List<String> sets = alternatives.stream().filter(s -> !s.isEmpty())
                .map(s -> s.stream().map(x -> "`" + x + "`").collect(Collectors.joining(" and "))).toList();
        if (!sets.isEmpty()) {
            out.append(" with the scope").append(sets.size() == 1 && !sets.get(0).contains(" and ") ? " " : "s ")
                    .append(String.join(", or ", sets));
        }
        out.append('.');
        if (expression != null) {
            out.append(" Also checked: `@PreAuthorize(\"").append(expression).append("\")`.");
        }
        return out.toString();
    }

    private static String join(String description, String addition) {
        return description == null || description.isBlank() ? addition : description + "\n\n" + addition;
    }

    /** The built-in failure codes by HTTP status: what a key-protected operation may answer. */
    static Map<Integer, List<String>> refusals() {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (Failure f : Failure.builtIns()) {
            out.computeIfAbsent(f.httpStatus(), s -> new ArrayList<>()).add("`" + f.code() + "`");
        }
        return out;
    }

    private static Schema<?> problemSchema() {
        ObjectSchema problem = new ObjectSchema();
        problem.setDescription("An RFC 9457 problem: why the API key was refused, and what its holder can do.");
        problem.addProperty("type", new StringSchema());
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema());
        problem.addProperty("detail", new StringSchema());
        problem.addProperty("code", new StringSchema().description("the failure code, e.g. insufficient_scope"));
        problem.addProperty("resolution", new StringSchema().description("what the key's holder can do"));
        problem.addProperty("missing_scope", new StringSchema().description("on insufficient_scope: the scope needed"));
        problem.addProperty("retry_after", new IntegerSchema().description("on 429 and 503: seconds to wait"));
        problem.setRequired(List.of("type", "title", "status", "detail", "code"));
        return problem;
    }
}
