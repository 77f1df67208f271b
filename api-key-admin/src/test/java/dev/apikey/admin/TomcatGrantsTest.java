package dev.apikey.admin;

import jakarta.servlet.Filter;

/** The grants and guardrails suite in embedded Tomcat 11, started as the admin API suite starts it. */
class TomcatGrantsTest extends GrantsContract {

    private final TomcatAdminApiTest container = new TomcatAdminApiTest();

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
