package dev.apikey.spring;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Reports a start refused for an {@code apikey.*} setting ({@link ApiKeyPropertyException}) in a few lines: the
 * property, where it was set when Spring knows, its value (never a secret's), and the form it must have. Spring
 * Boot then prints this report instead of the stack trace (which it logs at DEBUG). Registered in
 * {@code META-INF/spring.factories}.
 */
final class ApiKeyPropertyFailureAnalyzer extends AbstractFailureAnalyzer<ApiKeyPropertyException> {

    private final Environment environment;

    /**
     * Spring Boot creates it with the application's environment, to say where a property was set.
     *
     * @param environment the environment, or {@code null} if Spring has none yet
     */
    ApiKeyPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ApiKeyPropertyException cause) {
        String property = cause.property();
        String origin = origin(property);
        String description = "The API-key starter cannot use " + property
                + cause.value().map(v -> " = '" + v + "'").orElse("")
                + (origin == null ? "" : " (" + origin + ")") + ":\n" + cause.rule() + ".";
        String action = "Correct " + property + " where it is set (application.yml or application.properties, a "
                + "command-line argument or an environment variable).";
        return new FailureAnalysis(description, action, cause);
    }

    /** Where the property was set, e.g. {@code from class path resource [application.yml] - 3:10}, or null. */
    private String origin(String property) {
        if (!(environment instanceof ConfigurableEnvironment)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null && found.getOrigin() != null) {
                return "from " + found.getOrigin();
            }
        }
        return null;
    }
}
