package dev.apikey.admin;

import jakarta.servlet.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The admin API suite in embedded Tomcat 11, on loopback. */
class TomcatAdminApiTest extends AdminApiContract {

    private Tomcat tomcat;

    @Override
    int start(AdminApi api, Filter auth) throws Exception {
        // In target/, not the temp directory: Tomcat recreates its base folder after stop, at JVM exit.
        Path baseDir = Files.createDirectories(Path.of("target", "tomcat"));
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        // Async support: request bodies are read under their deadline without holding a thread.
        Tomcat.addServlet(context, "admin", api).setAsyncSupported(true);
        context.addServletMapping("/admin/api-keys/*", "admin");
        FilterDef def = new FilterDef();
        def.setFilterName("auth");
        def.setFilter(auth);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("auth");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
