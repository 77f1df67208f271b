/**
 * api-key admin: key management for tenants, as a REST API ({@code dev.apikey.admin.AdminApi}) a host mounts in
 * any Jakarta Servlet 6 container.
 */
module dev.apikey.admin {
    requires transitive dev.apikey.core;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.apikey.admin;
}
