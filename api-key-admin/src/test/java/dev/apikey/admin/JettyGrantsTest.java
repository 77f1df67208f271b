package dev.apikey.admin;

import jakarta.servlet.Filter;

/** The grants and guardrails suite in embedded Jetty 12 (ee10), started as the admin API suite starts it. */
class JettyGrantsTest extends GrantsContract {

    private final JettyAdminApiTest container = new JettyAdminApiTest();

    @Override
    int start(AdminApi api, Filter auth) throws Exception {
        return container.start(api, auth);
    }

    @Override
    void stop() throws Exception {
        container.stop();
        container.apiKeys.close();
    }
}
