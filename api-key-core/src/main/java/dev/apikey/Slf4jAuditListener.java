package dev.apikey;

import dev.apikey.spi.KeyEventListener;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link KeyEventListener}: one structured line per event on the logger {@code dev.apikey.audit},
 * as {@code event=<what> key=<hint> tenant=<id> code=<failure> addr=<address> at=<UTC time>}. Lifecycle events
 * and refusals of well-formed keys are INFO; refusals of unreadable input (missing, malformed) and
 * {@code rate_limited} are DEBUG, so that floods of garbage or of over-limit calls do not flood the log;
 * grants are DEBUG.
 *
 * <p>Thread-safe. Never logs a secret or a stored hash: events carry neither.
 */
public final class Slf4jAuditListener implements KeyEventListener {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.audit");

    /** A listener writing to {@code dev.apikey.audit}. */
    public Slf4jAuditListener() {
    }

    @Override
    public void created(ApiKeyInfo key) {
        LOG.info("event=created key={} tenant={} name=\"{}\" scopes={} expires={}", key.hint(), key.tenantId().orElse(null),
                key.name(), key.scopes(), key.expiresAt().orElse(null));
    }

    @Override
    public void rotated(ApiKeyInfo oldKey, ApiKeyInfo newKey) {
        LOG.info("event=rotated key={} tenant={} new_key={} old_expires={}", oldKey.hint(), oldKey.tenantId().orElse(null),
                newKey.hint(), oldKey.expiresAt().orElse(null));
    }

    @Override
    public void revoked(ApiKeyInfo key) {
        LOG.info("event=revoked key={} tenant={} at={}", key.hint(), key.tenantId().orElse(null), key.revokedAt().orElse(null));
    }

    @Override
    public boolean wantsGrants() {
        return LOG.isDebugEnabled();
    }

    @Override
    public void verified(ApiKeyPrincipal principal, String remoteAddress, long atEpochMillis) {
        LOG.debug("event=granted key={} tenant={} addr={} at={}", principal.hint(), principal.tenantId().orElse(null),
                remoteAddress, Instant.ofEpochMilli(atEpochMillis));
    }

    @Override
    public boolean wantsRefusals() {
        return LOG.isInfoEnabled();
    }

    @Override
    public void refused(Failure failure, String keyHint, String remoteAddress, long atEpochMillis) {
        boolean info = keyHint != null && failure != Failure.RATE_LIMITED;
        if (info ? LOG.isInfoEnabled() : LOG.isDebugEnabled()) {
            String line = "event=refused key={} code={} addr={} at={}";
            Object[] args = {keyHint, failure.code(), remoteAddress, Instant.ofEpochMilli(atEpochMillis)};
            if (info) {
                LOG.info(line, args);
            } else {
                LOG.debug(line, args);
            }
        }
    }

    @Override
    public void throttled(String keyHint, String remoteAddress, long untilEpochMillis) {
        LOG.warn("event=throttled key={} addr={} until={}", keyHint, remoteAddress, Instant.ofEpochMilli(untilEpochMillis));
    }

    @Override
    public String toString() {
        return "Slf4jAuditListener";
    }
}
