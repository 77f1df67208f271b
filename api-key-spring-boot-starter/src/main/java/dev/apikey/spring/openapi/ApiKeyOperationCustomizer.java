package dev.apikey.spring.openapi;

import io.swagger.v3.oas.models.Operation;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.web.method.HandlerMethod;

/**
 * Notes on each operation what its handler says about scopes ({@link HandlerScopes}), for
 * {@link ApiKeyOpenApiCustomizer} to combine with the route rules once every path is known. The note is an
 * extension the customizer removes again.
 */
final class ApiKeyOperationCustomizer implements GlobalOperationCustomizer {

    /** The extension that carries a handler's scopes from this step to the next. */
    static final String HANDLER_SCOPES = "x-apikey-handler-scopes";
    /** The extension that carries an unreadable {@code @PreAuthorize} expression. */
    static final String HANDLER_EXPRESSION = "x-apikey-handler-expression";

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        HandlerScopes scopes = HandlerScopes.of(handler);
        if (!scopes.alternatives().isEmpty()) {
            List<List<String>> alternatives = new ArrayList<>();
            scopes.alternatives().forEach(a -> alternatives.add(List.copyOf(a)));
            operation.addExtension(HANDLER_SCOPES, alternatives);
        }
        if (scopes.unreadable() != null) {
            operation.addExtension(HANDLER_EXPRESSION, scopes.unreadable());
        }
        return operation;
    }
}
