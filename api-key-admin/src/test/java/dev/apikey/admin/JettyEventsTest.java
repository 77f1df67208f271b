package dev.apikey.admin;

import jakarta.servlet.Filter;

/** The key history suite in embedded Jetty, started as the admin API suite starts it. */
class JettyEventsTest extends EventsContract {

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
