/**
 * api-key JDBC store: {@code dev.apikey.jdbc.JdbcKeyStore} over any {@code DataSource}, for PostgreSQL and H2.
 */
module dev.apikey.jdbc {
    requires transitive dev.apikey.core;
    requires transitive java.sql;
    requires com.fasterxml.jackson.databind;
    requires dev.apikey.json;
    requires static org.postgresql.jdbc;
    requires org.slf4j;

    exports dev.apikey.jdbc;
}
