/**
 * A country resolver over a MaxMind-format database ({@link dev.apikey.geoip.MaxMindCountryResolver}), kept out of
 * the core and the servlet adapter so that only hosts that restrict keys by country with a database carry its
 * reader. It depends on {@code dev.apikey.servlet} (the {@link dev.apikey.servlet.CountryResolver} it implements)
 * and on MaxMind's {@code geoip2} reader.
 */
package dev.apikey.geoip;
