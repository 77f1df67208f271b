package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Holds the admin API to its OpenAPI document: every answer of the API's tests is checked against the document's
 * path, method, status, content type and body schema, so that document and API cannot drift apart. The document is
 * first read by swagger-parser, which must find nothing wrong with it; bodies are checked by a JSON Schema validator
 * in the OpenAPI 3.1 dialect.
 */
final class OpenApiCheck {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IRI = "https://api-key.dev/openapi/admin-api.yaml";

    /** The document the API serves (docs/openapi/admin-api.yaml, copied beside {@link OpenApiDocument}). */
    static final OpenApiCheck PUBLISHED = new OpenApiCheck(published());

    private final JsonNode document;
    private final JsonSchemaFactory schemas;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    /**
     * @param yaml an OpenAPI 3.1 document
     * @throws AssertionError if swagger-parser finds anything wrong with it
     */
    OpenApiCheck(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's findings in the OpenAPI document").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1.");
        try {
            this.document = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                        .schemaLoaders(l -> l.schemas(Map.of(IRI, yaml))));
    }

    /** The published document's text. */
    static String published() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("admin-api.yaml")) {
            assertThat(in).as("admin-api.yaml on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks one answer of the API against the document.
     *
     * @param method the request's method
     * @param path   the request's path below the API's mount, with its query if any
     * @param answer the answer
     * @throws AssertionError naming what the document does not allow
     */
    void check(String method, String path, HttpResponse<String> answer) {
        String where = method + " " + path + " -> " + answer.statusCode();
        String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String contentType = answer.headers().firstValue("Content-Type").orElse("");
        String media = contentType.contains(";") ? contentType.substring(0, contentType.indexOf(';')).trim()
                : contentType.trim();
        JsonNode pathItem = pathItem(route);
        if (pathItem == null) {
            // No such endpoint: the document cannot list it; the answer is the API's not_found problem.
            assertThat(answer.statusCode()).as(where + ": no documented path matches").isEqualTo(404);
            checkBody(where, "#/components/schemas/Problem", media, "application/problem+json", answer.body());
            return;
        }
        String operation = method.equals("HEAD") && !pathItem.has("head") ? "get" : method.toLowerCase(Locale.ROOT);
        if (!pathItem.has(operation)) {
            assertThat(answer.statusCode()).as(where + ": method not documented for the path").isEqualTo(405);
            assertThat(answer.headers().firstValue("Allow")).as(where + ": Allow header").isPresent();
            checkBody(where, "#/components/schemas/Problem", media, "application/problem+json", answer.body());
            return;
        }
        JsonNode responses = pathItem.get(operation).path("responses");
        JsonNode response = responses.get(Integer.toString(answer.statusCode()));
        if (response == null) {
            response = responses.get("default");
        }
        assertThat(response).as(where + ": status not documented for the operation").isNotNull();
        response = resolve(response);
        JsonNode content = response.path("content");
        if (content.isMissingNode() || method.equals("HEAD")) {
            assertThat(answer.body()).as(where + ": a body the document does not describe").isEmpty();
            return;
        }
        assertThat(content.has(media)).as(where + ": content type " + contentType + " not documented; "
                + "documented: " + names(content)).isTrue();
        JsonNode schema = content.get(media).path("schema");
        if (!media.endsWith("json")) {
            return;
        }
        assertThat(schema.has("$ref")).as(where + ": a JSON answer's schema is a component ($ref), for this check")
                .isTrue();
        checkBody(where, schema.get("$ref").asText(), media, media, answer.body());
    }

    private void checkBody(String where, String ref, String media, String expectedMedia, String body) {
        assertThat(media).as(where + ": content type").isEqualTo(expectedMedia);
        JsonSchema schema = compiled.computeIfAbsent(ref, r -> schemas.getSchema(SchemaLocation.of(IRI + r)));
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(where + ": the body is not JSON", e);
        }
        Set<ValidationMessage> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + ": the body breaks " + ref + ": " + errors + " in " + body);
        }
    }

    /** The path item whose template matches the path, or null. */
    private JsonNode pathItem(String path) {
        for (Map.Entry<String, JsonNode> e : document.path("paths").properties()) {
            String template = e.getKey();
            String regex = Pattern.quote(template).replaceAll("\\{[^}/]+\\}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A response object, its {@code $ref} followed. */
    private JsonNode resolve(JsonNode node) {
        JsonNode at = node;
        for (int hops = 0; at.has("$ref") && hops < 8; hops++) {
            String ref = at.get("$ref").asText();
            assertThat(ref).as("a reference within the document").startsWith("#/");
            at = document.at(ref.substring(1));
            assertThat(at.isMissingNode()).as("the reference " + ref).isFalse();
        }
        return at;
    }

    private static String names(JsonNode object) {
        StringBuilder out = new StringBuilder();
        object.fieldNames().forEachRemaining(n -> out.append(out.length() == 0 ? "" : ", ").append(n));
        return out.toString();
    }
}
