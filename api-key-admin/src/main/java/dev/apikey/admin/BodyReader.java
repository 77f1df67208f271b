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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

    /**
     * How long after the body's deadline the container's own async timeout fires: the time the answer may take once
     * the body is in. The body's deadline is this reader's timer, not the container's timeout, which cannot be
     * moved once the body is read and would otherwise cut an answer in progress.
     */
    private static final long ANSWER_ALLOWANCE_MILLIS = 60_000;

    private final BodyLimits limits;
    private final String typeBase;
    private final Semaphore readers;
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();
    private final Object timerLock = new Object();
    /** Fires the deadlines of bodies still arriving; started on the first async read. Guarded by timerLock. */
    private ScheduledThreadPoolExecutor timer;
    /** The timer's threads (one at a time), joined by {@link #close}. */
    private final Queue<Thread> timerThreads = new ConcurrentLinkedQueue<>();

    /**
     * @param limits   how long and how slowly a body may arrive, and how many at once
     * @param typeBase the problem type base of the servlet's answers
     */
    BodyReader(BodyLimits limits, String typeBase) {
        this.limits = limits;
        this.typeBase = typeBase;
        this.readers = new Semaphore(limits.maxReaders());
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        synchronized (timerLock) {
            if (timer == null) {
                timer = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "apikey-body-deadline");
                    t.setDaemon(true);
                    // Made on a request's thread, it would hold the web application's class loader as its context
                    // loader: it takes this library's own instead.
                    t.setContextClassLoader(BodyReader.class.getClassLoader());
                    timerThreads.add(t);
                    return t;
                });
                timer.setRemoveOnCancelPolicy(true);
            }
            return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops the deadline timer, if one was started, and waits at most a second for its thread to end, so that a
     * container checking for threads left behind after {@code destroy} (Tomcat does) finds none; the servlet's
     * {@code destroy} calls it.
     */
    void close() {
        ScheduledThreadPoolExecutor stopping;
        synchronized (timerLock) {
            stopping = timer;
            timer = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                // A terminated executor's thread may still be on its way out: wait for the thread itself.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                stopping.awaitTermination(1, TimeUnit.SECONDS);
                for (Thread t : timerThreads) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left > 0) {
                        t.join(left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timerThreads.clear();
        }
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
        handled(resp, then, body);
    }

    /**
     * Runs the handler on a body read whole. A failure of the handler's own (a bug, or an exception it did not
     * expect) is answered 500 {@code internal_error} while nothing has been sent: never the empty 200 that completing
     * an async request would send as it stands, nor the container's error page with the exception's text.
     */
    private void handled(HttpServletResponse resp, Handler then, byte[] body) throws IOException {
        try {
            then.handle(body);
        } catch (RuntimeException e) {
            // The class only: a message may hold what the request carried.
            LOG.warn("request not answered: its handler failed with {}", e.getClass().getName());
            if (!resp.isCommitted()) {
                resp.resetBuffer();
                closing(resp, new AdminProblem(500, "internal_error", "Internal error",
                        "the request could not be answered; send it again later"));
            }
        }
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
    private void closing(HttpServletResponse resp, AdminProblem p) throws IOException {
        resp.setHeader("Connection", "close");
        p.write(resp, typeBase);
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
        private volatile ScheduledFuture<?> deadline;

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
                async.setTimeout(limits.deadline().toMillis() + ANSWER_ALLOWANCE_MILLIS);
                async.addListener(this);
                deadline = schedule(this::deadlinePassed, limits.deadline().toMillis());
                in = req.getInputStream();
                in.setReadListener(this);
            } catch (IOException | RuntimeException e) {
                if (finished.compareAndSet(false, true)) {
                    done();
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
            done();
            try {
                handled(resp, then, out.toByteArray());
            } finally {
                async.complete();
            }
        }

        @Override
        public void onError(Throwable t) {
            // The client went away or the container gave up on the read: nobody is left to answer.
            LOG.debug("request body read failed: {}", t.toString());
            if (finished.compareAndSet(false, true)) {
                done();
                async.complete();
            }
        }

        /** The body's deadline, on the timer's thread: a sender that stopped sending is answered here. */
        private void deadlinePassed() {
            try {
                refuse(timeout());
            } catch (IOException | RuntimeException e) {
                LOG.debug("request body deadline answer failed: {}", e.toString());
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            // Only if the timer could not answer: the container's timeout is the deadline plus the answer's time.
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

        /** The body is done with, one way or another: its reader is free and its deadline off. */
        private void done() {
            readers.release();
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
        }

        private void refuse(AdminProblem p) throws IOException {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            done();
            try {
                closing(resp, p);
            } finally {
                async.complete();
            }
        }
    }
}
