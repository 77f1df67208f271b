package dev.apikey.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A country one key was seen from in one hour, as the core hands it to a {@link UsageStore} that
 * {@linkplain UsageStore#keepsCountries() keeps countries} and as the store reads it back. The core learns it only
 * for outcomes earned with the key's secret, from the request's country source (a header of a trusted proxy, a GeoIP
 * database), when a request's source network was new to the key within a flush interval.
 *
 * <p>Immutable.
 *
 * @param hour     the hour bucket's start (a whole hour, UTC)
 * @param keyId    the key
 * @param tenantId the key's tenant, or {@code null}
 * @param country  an ISO 3166-1 alpha-2 code, upper case
 */
public record UsageCountry(Instant hour, String keyId, String tenantId, String country) {

    private static final Pattern CODE = Pattern.compile("[A-Z]{2}");

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the hour is not a whole hour, the key id is the unknown series', or the
     *                                  country is not two upper-case letters
     *
     * @param hour see the record
     * @param keyId see the record
     * @param tenantId see the record
     * @param country see the record
     */
    public UsageCountry {
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(country, "country");
        if (hour.getNano() != 0 || hour.getEpochSecond() % 3_600 != 0) {
            throw new IllegalArgumentException("hour must be the start of an hour (UTC), was " + hour);
        }
        if (UsageCount.UNKNOWN_KEY.equals(keyId)) {
            throw new IllegalArgumentException("keyId must be a key's: the unknown series has no countries");
        }
        if (!CODE.matcher(country).matches()) {
            throw new IllegalArgumentException("country must be an ISO 3166-1 alpha-2 code in upper case");
        }
    }
}
