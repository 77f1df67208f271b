package dev.apikey.spring;

/**
 * The reactive (WebFlux) path's settings ({@code apikey.webflux.*}): the bounded scheduler that a verify which may
 * block (a store read, a stored-hash check, a shared meter, a host's access policy) is offloaded to. A verify that
 * the cache answers runs on the event loop and never waits for this scheduler.
 */
public class ApiKeyWebFluxProperties {

    /** The most threads verifying keys at once off the event loop: 1 to 1024. */
    private int verifyThreads = Math.min(1024, 10 * Runtime.getRuntime().availableProcessors());

    /** The most verifies waiting for one of those threads; one more is answered 503 overloaded: 1 to 1000000. */
    private int verifyQueue = 10_000;

    /** Creates the defaults; Spring binds the properties. */
    public ApiKeyWebFluxProperties() {
    }

    /** @return the most threads verifying at once off the event loop */
    public int getVerifyThreads() {
        return verifyThreads;
    }

    /** @param verifyThreads the most threads verifying at once off the event loop */
    public void setVerifyThreads(int verifyThreads) {
        this.verifyThreads = verifyThreads;
    }

    /** @return the most verifies waiting for a thread */
    public int getVerifyQueue() {
        return verifyQueue;
    }

    /** @param verifyQueue the most verifies waiting for a thread */
    public void setVerifyQueue(int verifyQueue) {
        this.verifyQueue = verifyQueue;
    }

    /**
     * {@return {@link #getVerifyThreads()}, checked}
     *
     * @throws ApiKeyPropertyException naming {@code apikey.webflux.verify-threads} unless 1 to 1024
     */
    public int validVerifyThreads() {
        if (verifyThreads < 1 || verifyThreads > 1024) {
            throw new ApiKeyPropertyException("apikey.webflux.verify-threads", Integer.toString(verifyThreads),
                    "must be 1 to 1024", null);
        }
        return verifyThreads;
    }

    /**
     * {@return {@link #getVerifyQueue()}, checked}
     *
     * @throws ApiKeyPropertyException naming {@code apikey.webflux.verify-queue} unless 1 to 1000000
     */
    public int validVerifyQueue() {
        if (verifyQueue < 1 || verifyQueue > 1_000_000) {
            throw new ApiKeyPropertyException("apikey.webflux.verify-queue", Integer.toString(verifyQueue),
                    "must be 1 to 1000000", null);
        }
        return verifyQueue;
    }
}
