package dev.apikey.geoip;

import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CountryResponse;
import dev.apikey.model.AddressRanges;
import dev.apikey.servlet.CountryResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CountryResolver} that looks the client's address up in a MaxMind-format country database the host
 * supplies (GeoIP2 Country or City, GeoLite2 Country or City, or any {@code .mmdb} of that shape): the country the
 * address is in, or unknown for an address the database does not hold. The address is the one
 * {@link dev.apikey.servlet.ClientAddress} defines, so behind proxies configure them as trusted, or every request
 * looks up the proxy. The database is read into memory once; a lookup does no I/O and no DNS.
 *
 * <pre>{@code
 * ApiKeyFilter.builder(apiKeys).countryResolver(MaxMindCountryResolver.open(Path.of("/var/lib/GeoIP/GeoLite2-Country.mmdb")))
 * }</pre>
 *
 * <p>Thread-safe. Close it to let go of the database. This library ships no database: the host downloads and updates
 * its own under MaxMind's licence.
 */
public final class MaxMindCountryResolver implements CountryResolver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaxMindCountryResolver.class);

    private final DatabaseReader reader;
    private final Path file;

    private MaxMindCountryResolver(DatabaseReader reader, Path file) {
        this.reader = reader;
        this.file = file;
    }

    /**
     * Reads a country database into memory.
     *
     * @param database the {@code .mmdb} file
     * @return the resolver
     * @throws IllegalArgumentException naming the file, if it is missing, unreadable, not a MaxMind database, or one
     *                                  without countries
     */
    public static MaxMindCountryResolver open(Path database) {
        Objects.requireNonNull(database, "countryDatabase");
        if (!Files.isRegularFile(database) || !Files.isReadable(database)) {
            throw new IllegalArgumentException("countryDatabase " + database + " is not a readable file");
        }
        DatabaseReader reader;
        try {
            reader = new DatabaseReader.Builder(database.toFile()).fileMode(Reader.FileMode.MEMORY).build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("countryDatabase " + database + " is not a MaxMind database: "
                    + e.getMessage(), e);
        }
        String type = reader.getMetadata().getDatabaseType();
        if (type == null || !(type.contains("Country") || type.contains("City"))) {
            close(reader);
            throw new IllegalArgumentException("countryDatabase " + database + " is a '" + type + "' database; a "
                    + "Country or City database is needed");
        }
        return new MaxMindCountryResolver(reader, database);
    }

    @Override
    public String country(HttpServletRequest request, String clientAddress) {
        return countryOf(clientAddress);
    }

    /**
     * {@return the ISO 3166-1 alpha-2 code of the country an address is in, or {@code null} if the database does not
     * know it or the text is not an IP literal}
     *
     * @param address an IP literal, or {@code null}
     */
    public String countryOf(String address) {
        // Only a literal reaches InetAddress, so a host name is never resolved.
        if (!AddressRanges.isAddress(address)) {
            return null;
        }
        try {
            Optional<CountryResponse> found = reader.tryCountry(InetAddress.getByName(address));
            return found.map(r -> r.getCountry().getIsoCode()).orElse(null);
        } catch (UnknownHostException e) {
            return null;
        } catch (IOException | GeoIp2Exception e) {
            LOG.warn("country database {} could not be read for a lookup ({}); the country is unknown", file,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    /** Lets go of the database. */
    @Override
    public void close() {
        close(reader);
    }

    private static void close(DatabaseReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "MaxMindCountryResolver[" + file + "]";
    }
}
