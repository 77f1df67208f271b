package dev.apikey.servlet;

/** Who is asking, in embedded Tomcat 11. */
class TomcatClientOriginTest extends ClientOriginContract {

    @Override
    FilterContract container() {
        return new TomcatFilterTest();
    }
}
