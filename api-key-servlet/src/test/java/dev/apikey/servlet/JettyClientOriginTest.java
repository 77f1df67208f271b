package dev.apikey.servlet;

/** Who is asking, in embedded Jetty 12. */
class JettyClientOriginTest extends ClientOriginContract {

    @Override
    FilterContract container() {
        return new JettyFilterTest();
    }
}
