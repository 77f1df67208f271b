package dev.apikey.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The filter suite in embedded Tomcat 11, on loopback. */
class TomcatFilterTest extends FilterContract {

    private Tomcat tomcat;
    private Path baseDir;

    @Override
    int start(Filter filter) throws Exception {
        // In target/, not the temp directory: Tomcat recreates its base folder after stop, at JVM exit.
        baseDir = Files.createDirectories(Path.of("target", "tomcat"));
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "echo", new SeedApi.Echo()).setAsyncSupported(true);
        Tomcat.addServlet(context, "async", new SeedApi.Async()).setAsyncSupported(true);
        context.addServletMapping("/public/async", "async");
        context.addServletMapping("/*", "echo");
        Tomcat.addServlet(context, "whoami", new WhoAmIServlet());
        context.addServletMapping("/api/v1/whoami", "whoami");
        Tomcat.addServlet(context, "forward", new SeedApi.Forward());
        context.addServletMapping("/public/forward", "forward");
        Tomcat.addServlet(context, "fail", new SeedApi.Fail());
        context.addServletMapping("/public/fail", "fail");
        ErrorPage errorPage = new ErrorPage();
        errorPage.setErrorCode(500);
        errorPage.setLocation("/api/v1/events");
        context.addErrorPage(errorPage);
        FilterDef def = new FilterDef();
        def.setFilterName("apikey");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("apikey");
        map.addURLPattern("/*");
        for (DispatcherType type : DispatcherType.values()) {
            map.setDispatcher(type.name());
        }
        context.addFilterMap(map);
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
