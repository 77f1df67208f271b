/**
 * api-key admin: key management for tenants, as a REST API ({@code dev.apikey.admin.AdminApi}) and a web console
 * ({@code AdminConsole}) a host mounts in any Jakarta Servlet 6 container, and the receiver of GitHub
 * secret-scanning alerts ({@code SecretScanningServlet}).
 */
module dev.apikey.admin {
    requires transitive dev.apikey.core;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires dev.apikey.json;
    requires dev.apikey.webhooks;
    requires java.net.http;
    requires org.slf4j;

    exports dev.apikey.admin;
}
