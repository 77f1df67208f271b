package dev.apikey.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An optional capability of a {@link KeyStore}: it remembers which notices about a key were sent (an expiry warning,
 * say), once across every instance sharing the store. Without it the hygiene check sends no warnings (a store that
 * cannot remember would send them again on every check). The core finds it with {@code instanceof}.
 */
public interface NoticeLog {

    /**
     * Records a notice unless it was recorded before: the first caller for a key id and notice records its
     * {@code sentAt} and gets empty back, and is the one to send it; every later caller gets the recorded time. A
     * store keeps notices at least as long as the key.
     *
     * @param keyId  the key id
     * @param notice what was sent, 1 to 200 printable ASCII characters, e.g. {@code expires:2026-12-01T00:00:00Z:P7D}
     * @param sentAt when it is sent
     * @return empty if this call recorded the notice, else when it was recorded
     * @throws IllegalArgumentException if notice breaks its rule
     * @throws KeyStoreException        if the store fails
     */
    Optional<Instant> recordNotice(String keyId, String notice, Instant sentAt);

    /**
     * Checks a notice's text against the rule of {@link #recordNotice}, for implementations.
     *
     * @param notice the notice
     * @return the notice
     * @throws IllegalArgumentException unless 1 to 200 printable ASCII characters
     * @throws NullPointerException     if notice is null
     */
    static String requireNotice(String notice) {
        if (Objects.requireNonNull(notice, "notice").isEmpty() || notice.length() > 200
                || !notice.chars().allMatch(c -> c >= 0x21 && c < 0x7f)) {
            throw new IllegalArgumentException("notice must be 1 to 200 printable ASCII characters");
        }
        return notice;
    }
}
