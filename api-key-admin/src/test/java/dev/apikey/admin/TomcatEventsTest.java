package dev.apikey.admin;

import jakarta.servlet.Filter;

/** The key history suite in embedded Tomcat, started as the admin API suite starts it. */
class TomcatEventsTest extends EventsContract {

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
