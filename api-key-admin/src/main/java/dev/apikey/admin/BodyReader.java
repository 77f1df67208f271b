package dev.apikey.admin;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads request bodies under {@link BodyLimits}: a total deadline, a minimum rate and a cap on concurrent readers,
 * answering 408, 503 (with {@code Retry-After}) and 413 itself. With async support the body is read by a
 * {@link ReadListener}, holding no thread while the client is slow, and the deadline is the async timeout; without
 * it the body is read blocking and checked after each read. One per servlet; thread-safe.
 */
final class BodyReader {

    /** What to do with a whole body; runs on a container thread, and must answer the request itself. */
    interface Handler {
        void handle(byte[] body) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    /** How much of a too-large body is read and dropped before the 413, so the client is done sending when it comes. */
    static final long DRAIN_LIMIT = 1 << 20;

    private final BodyLimits limits;
    private final Semaphore readers;
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();

    BodyReader(BodyLimits limits) {
        this.limits = limits;
        this.readers = new Semaphore(limits.maxReaders());
    }

    /**
     * Reads the body of {@code req}, at most {@code max} bytes, and hands it to {@code then}; answers the request
     * itself if the body is refused.
     */
    void read(HttpServletRequest req, HttpServletResponse resp, int max, Handler then) throws IOException {
        if (!readers.tryAcquire()) {
            resp.setHeader("Retry-After", "1");
            closing(resp, new AdminProblem(503, "too_many_senders", "Too many bodies in progress",
                    "more than " + limits.maxReaders() + " requests are sending their bodies at once; try again "
                            + "shortly"));
            return;
        }
        long declared = req.getContentLengthLong();
        if (declared > max + DRAIN_LIMIT) {
            readers.release();
            closing(resp, tooLarge(max));
            return;
        }
        if (req.isAsyncSupported()) {
            new AsyncRead(req, resp, max, declared > max, then).start();
            return;
        }
        if (warnedBlocking.compareAndSet(false, true)) {
            LOG.warn("{} is mounted without async support: request bodies are read blocking, so a client that stops "
                    + "sending is cut by the container's idle timeout, not after {}; mount it with "
                    + "setAsyncSupported(true)", req.getHttpServletMapping().getServletName(), limits.deadline());
        }
        byte[] body;
        try {
            body = blocking(req.getInputStream(), max);
        } catch (AdminProblem p) {
            closing(resp, p);
            return;
        } finally {
            readers.release();
        }
        then.handle(body);
    }

    private byte[] blocking(InputStream in, int max) throws IOException {
        Progress progress = new Progress();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            progress.received += n;
            if (progress.received <= max) {
                out.write(chunk, 0, n);
            } else if (progress.received > max + DRAIN_LIMIT) {
                throw tooLarge(max);
            }
            AdminProblem slow = progress.problem();
            if (slow != null) {
                throw slow;
            }
        }
        if (progress.received > max) {
            throw tooLarge(max);
        }
        return out.toByteArray();
    }

    /** Bytes so far against the clock. */
    private final class Progress {
        private final long start = System.nanoTime();
        long received;

        /** The 408 if the body is past its deadline or behind the minimum rate, else null. */
        AdminProblem problem() {
            long elapsed = System.nanoTime() - start;
            if (elapsed > limits.deadline().toNanos()) {
                return timeout();
            }
            long beyondGrace = elapsed - limits.grace().toNanos();
            if (beyondGrace > 0 && received < limits.minBytesPerSecond() * (beyondGrace / 1_000_000_000.0)) {
                return timeout();
            }
            return null;
        }
    }

    private AdminProblem timeout() {
        return new AdminProblem(408, "body_timeout", "Request body too slow", "the body must arrive within "
                + limits.deadline().toMillis() + " ms, at " + limits.minBytesPerSecond() + " bytes a second or more "
                + "after the first " + limits.grace().toMillis() + " ms");
    }

    static AdminProblem tooLarge(int max) {
        return new AdminProblem(413, "body_too_large", "Body too large", "the body may hold at most " + max + " bytes");
    }

    /** Answers a refused body; the rest of it is unread, so the connection is closed after the answer. */
    private static void closing(HttpServletResponse resp, AdminProblem p) throws IOException {
        resp.setHeader("Connection", "close");
        p.write(resp);
    }

    /** One body read by a listener: the first of its end, an error and the deadline to come answers. */
    private final class AsyncRead implements ReadListener, AsyncListener {
        private final HttpServletRequest req;
        private final HttpServletResponse resp;
        private final int max;
        private final Handler then;
        private final Progress progress = new Progress();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final byte[] chunk = new byte[8192];
        private ByteArrayOutputStream out = new ByteArrayOutputStream();
        private AsyncContext async;
        private ServletInputStream in;

        AsyncRead(HttpServletRequest req, HttpServletResponse resp, int max, boolean tooLarge, Handler then) {
            this.req = req;
            this.resp = resp;
            this.max = max;
            this.then = then;
            if (tooLarge) {
                out = null;
            }
        }

        void start() throws IOException {
            try {
                async = req.startAsync(req, resp);
                async.setTimeout(limits.deadline().toMillis());
                async.addListener(this);
                in = req.getInputStream();
                in.setReadListener(this);
            } catch (IOException | RuntimeException e) {
                if (finished.compareAndSet(false, true)) {
                    readers.release();
                }
                throw e;
            }
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!finished.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                progress.received += n;
                if (out != null && progress.received <= max) {
                    out.write(chunk, 0, n);
                } else {
                    out = null;
                    if (progress.received > max + DRAIN_LIMIT) {
                        refuse(tooLarge(max));
                        return;
                    }
                }
                AdminProblem slow = progress.problem();
                if (slow != null) {
                    refuse(slow);
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            if (out == null) {
                refuse(tooLarge(max));
                return;
            }
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            readers.release();
            try {
                then.handle(out.toByteArray());
            } finally {
                async.complete();
            }
        }

        @Override
        public void onError(Throwable t) {
            // The client went away or the container gave up on the read: nobody is left to answer.
            LOG.debug("request body read failed: {}", t.toString());
            if (finished.compareAndSet(false, true)) {
                readers.release();
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            refuse(timeout());
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable() == null ? new IOException("async error") : event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // Every path that completes has released its reader already.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Not restarted.
        }

        private void refuse(AdminProblem p) throws IOException {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            readers.release();
            try {
                closing(resp, p);
            } finally {
                async.complete();
            }
        }
    }
}
