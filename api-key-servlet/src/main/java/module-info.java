/**
 * api-key servlet adapter: {@code dev.apikey.servlet.ApiKeyFilter} for Jakarta Servlet 6 containers.
 */
module dev.apikey.servlet {
    requires transitive dev.apikey.core;
    requires transitive jakarta.servlet;
    requires org.slf4j;

    exports dev.apikey.servlet;
}
