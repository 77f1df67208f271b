package dev.apikey;

import dev.apikey.model.ApiKeyInfo;
import dev.apikey.model.ApiKeyPrincipal;
import dev.apikey.model.Failure;
import dev.apikey.model.KeyNotice;
import dev.apikey.spi.KeyEventListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link KeyEventListener}: one structured line per event on the logger {@code dev.apikey.audit},
 * as {@code event=<what> key=<hint> tenant=<id> code=<failure> addr=<address> at=<UTC time>}. Lifecycle events
 * and refusals of well-formed keys are INFO; refusals of unreadable input (missing, malformed) and
 * {@code rate_limited} and {@code too_many_failed_attempts} are DEBUG, so that floods of garbage or of
 * over-limit calls do not flood the log; grants are DEBUG; the start of a failed-attempt throttle is WARN.
 *
 * <p>Refusal lines are bounded: within each window (default 1 minute) the same code for the same key is
 * written once, and at most a number of keys per code (default 100); the rest are counted and written as one
 * {@code event=refusals_suppressed} line when the next refusal arrives after the window, so a flood of
 * unknown ids costs a few hundred lines a minute, not megabytes a second. A listener of your own still
 * receives every event.
 *
 * <p>Thread-safe. Never logs a secret or a stored hash: events carry neither.
 */
public final class Slf4jAuditListener implements KeyEventListener {

    private static final Logger LOG = LoggerFactory.getLogger("dev.apikey.audit");

    private final long windowMillis;
    private final int keysPerCode;
    private final AtomicReference<Window> window = new AtomicReference<>();

    /** One window of refusal lines: what was written, and what was only counted. */
    private static final class Window {
        final long startMillis;
        final Map<String, Boolean> written = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> writtenPerCode = new ConcurrentHashMap<>();
        final Map<String, LongAdder> suppressedPerCode = new ConcurrentHashMap<>();

        Window(long startMillis) {
            this.startMillis = startMillis;
        }
    }

    /** A listener writing to {@code dev.apikey.audit}, refusal lines bounded per minute and 100 keys per code. */
    public Slf4jAuditListener() {
        this(Duration.ofMinutes(1), 100);
    }

    /**
     * A listener writing to {@code dev.apikey.audit} with its own bound on refusal lines.
     *
     * @param window      how long a key's refusal with one code is written once, 1 second to 1 day
     * @param keysPerCode how many keys' refusals with one code are written per window, 1 to 1,000,000
     * @throws IllegalArgumentException if a value is out of range
     */
    public Slf4jAuditListener(Duration window, int keysPerCode) {
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("window must be 1 s to 1 day, was " + window);
        }
        if (keysPerCode < 1 || keysPerCode > 1_000_000) {
            throw new IllegalArgumentException("keysPerCode must be 1 to 1000000, was " + keysPerCode);
        }
        this.windowMillis = window.toMillis();
        this.keysPerCode = keysPerCode;
    }

    @Override
    public void created(ApiKeyInfo key) {
        LOG.info("event=created key={} tenant={} name=\"{}\" scopes={} expires={}", key.hint(), key.attributes().tenantId().orElse(null),
                key.attributes().name(), key.attributes().scopes(), key.attributes().expiresAt().orElse(null));
    }

    /** An import's key, one line each as a create's, told apart: {@code event=imported}, and whether it is legacy. */
    @Override
    public void imported(ApiKeyInfo key) {
        LOG.info("event=imported key={} tenant={} name=\"{}\" scopes={} expires={} legacy={}", key.hint(),
                key.attributes().tenantId().orElse(null), key.attributes().name(), key.attributes().scopes(),
                key.attributes().expiresAt().orElse(null), key.legacy());
    }

    @Override
    public void rotated(ApiKeyInfo oldKey, ApiKeyInfo newKey) {
        LOG.info("event=rotated key={} tenant={} new_key={} old_expires={}", oldKey.hint(), oldKey.attributes().tenantId().orElse(null),
                newKey.hint(), oldKey.attributes().expiresAt().orElse(null));
    }

    @Override
    public void updated(ApiKeyInfo before, ApiKeyInfo after) {
        LOG.info("event=updated key={} tenant={} name=\"{}\" scopes={} expires={} allowed={} countries={} rate_limit={}",
                after.hint(), after.attributes().tenantId().orElse(null), after.attributes().name(),
                after.attributes().scopes(), after.attributes().expiresAt().orElse(null),
                after.attributes().allowedAddresses(), after.attributes().allowedCountries(),
                after.attributes().rateLimit().orElse(null));
    }

    @Override
    public void revoked(ApiKeyInfo key) {
        LOG.info("event=revoked key={} tenant={} at={}", key.hint(), key.attributes().tenantId().orElse(null), key.revokedAt().orElse(null));
    }

    @Override
    public void disabled(ApiKeyInfo key, String reason) {
        LOG.info("event=disabled key={} tenant={} reason={} at={}", key.hint(), key.attributes().tenantId().orElse(null), reason,
                key.disabledAt().orElse(null));
    }

    @Override
    public void enabled(ApiKeyInfo key) {
        LOG.info("event=enabled key={} tenant={}", key.hint(), key.attributes().tenantId().orElse(null));
    }

    @Override
    public void warned(KeyNotice notice) {
        ApiKeyInfo key = notice.key();
        LOG.info("event=warned key={} tenant={} owner=\"{}\" kind={} due={} horizon={}", key.hint(),
                key.attributes().tenantId().orElse(null), key.attributes().owner().orElse(""), notice.kind(), notice.due(), notice.horizon());
    }

    @Override
    public void leaked(ApiKeyInfo key, String source, boolean revoked) {
        LOG.warn("event=leaked key={} tenant={} source=\"{}\" response={}", key.hint(), key.attributes().tenantId().orElse(null),
                source, revoked ? "revoked" : "flagged");
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
        boolean info = keyHint != null && failure != Failure.RATE_LIMITED
                && failure != Failure.TOO_MANY_FAILED_ATTEMPTS;
        String line = "event=refused key={} code={} addr={} at={}";
        if (!info) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(line, keyHint, failure.code(), remoteAddress, Instant.ofEpochMilli(atEpochMillis));
            }
            return;
        }
        if (LOG.isInfoEnabled() && firstInWindow(failure.code(), keyHint, atEpochMillis)) {
            LOG.info(line, keyHint, failure.code(), remoteAddress, Instant.ofEpochMilli(atEpochMillis));
        }
    }

    /** Whether this key's refusal with this code is to be written in the current window; counts it if not. */
    private boolean firstInWindow(String code, String keyHint, long now) {
        Window w = window.get();
        while (w == null || now - w.startMillis >= windowMillis || now < w.startMillis) {
            Window next = new Window(now);
            if (window.compareAndSet(w, next)) {
                if (w != null) {
                    summarize(w, now);
                }
                w = next;
                break;
            }
            w = window.get();
        }
        String key = code + ' ' + keyHint;
        if (!w.written.containsKey(key)) {
            AtomicInteger perCode = w.writtenPerCode.computeIfAbsent(code, c -> new AtomicInteger());
            if (perCode.incrementAndGet() <= keysPerCode && w.written.putIfAbsent(key, Boolean.TRUE) == null) {
                return true;
            }
        }
        w.suppressedPerCode.computeIfAbsent(code, c -> new LongAdder()).increment();
        return false;
    }

    private static void summarize(Window w, long now) {
        if (w.suppressedPerCode.isEmpty()) {
            return;
        }
        Map<String, Long> counts = new TreeMap<>();
        w.suppressedPerCode.forEach((code, n) -> counts.put(code, n.sum()));
        StringBuilder detail = new StringBuilder();
        counts.forEach((code, n) -> detail.append(' ').append(code).append('=').append(n));
        LOG.info("event=refusals_suppressed from={} to={}{}", Instant.ofEpochMilli(w.startMillis),
                Instant.ofEpochMilli(now), detail);
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
