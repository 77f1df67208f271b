package dev.apikey;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.KeyNotice;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one hygiene check did: the warnings it sent and the keys it disabled for disuse; in a dry run of the
 * unused-key policy, what it would have sent and disabled.
 *
 * @param checkedAt when the check ran
 * @param warned    the warnings sent by this check (ones sent before, by any instance, are not repeated)
 * @param disabled  the keys disabled by this check, as they were before
 * @param dryRun    whether the unused-key part only reported
 */
public record HygieneReport(Instant checkedAt, List<KeyNotice> warned, List<ApiKeyInfo> disabled, boolean dryRun) {

    /**
     * Copies the lists.
     *
     * @param checkedAt when the check ran
     * @param warned    the warnings sent
     * @param disabled  the keys disabled
     * @param dryRun    whether the unused-key part only reported
     */
    public HygieneReport {
        Objects.requireNonNull(checkedAt, "checkedAt");
        warned = List.copyOf(warned);
        disabled = List.copyOf(disabled);
    }
}
