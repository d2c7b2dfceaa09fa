package org.eseg.serve;

import java.time.Duration;

/**
 * How the server listens and how much it accepts. The defaults are the safe ones: only this machine can connect,
 * no token, no cross-origin access, djl-serving's request limit (64 MiB).
 *
 * @param host the address to listen on
 * @param port the port (0 = any free port)
 * @param workers inference workers, each segmenting one image at a time; 0 = one per core (djl-serving likewise
 *     sizes CPU workers as cores / intra-op threads: images side by side use the cores better than threads within
 *     one image; docs/performance.md, "2026-12-03: serve")
 * @param maxQueue requests waiting for a worker; one more is answered 503 with {@code Retry-After}
 * @param maxBodyBytes the largest request body read
 * @param token the bearer token every API request must carry, or null for none
 * @param corsOrigin the origin allowed to call the API from a browser, or null for none
 * @param drainTimeout how long a stop waits for the requests already accepted
 */
public record ServeOptions(String host, int port, int workers, int maxQueue, long maxBodyBytes, String token,
        String corsOrigin, Duration drainTimeout) {

    /** 127.0.0.1:8080, a worker per core, 100 waiting requests, 64 MiB bodies, no token, no CORS, 60 s drain. */
    public static final ServeOptions DEFAULT =
            new ServeOptions("127.0.0.1", 8080, 0, 100, 64L << 20, null, null, Duration.ofSeconds(60));

    /** Validates the options; messages name the setting, not a command-line flag. */
    public ServeOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be in 0..65535, got " + port);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("the worker count must be at least 0 (0 = one per core), got "
                    + workers);
        }
        if (workers == 0) {
            workers = Runtime.getRuntime().availableProcessors();
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("the queue length must be at least 0, got " + maxQueue);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("the body limit must be at least 1 byte, got " + maxBodyBytes);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token must not be empty");
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("the drain timeout must be zero or more");
        }
    }

    /**
     * These options listening elsewhere.
     *
     * @param h the host
     * @param p the port
     * @return the options
     */
    public ServeOptions withAddress(String h, int p) {
        return new ServeOptions(h, p, workers, maxQueue, maxBodyBytes, token, corsOrigin, drainTimeout);
    }

    /**
     * These options with other worker and queue sizes.
     *
     * @param w workers
     * @param q waiting requests
     * @return the options
     */
    public ServeOptions withQueue(int w, int q) {
        return new ServeOptions(host, port, w, q, maxBodyBytes, token, corsOrigin, drainTimeout);
    }

    /**
     * These options with another body limit.
     *
     * @param bytes the largest body
     * @return the options
     */
    public ServeOptions withMaxBody(long bytes) {
        return new ServeOptions(host, port, workers, maxQueue, bytes, token, corsOrigin, drainTimeout);
    }

    /**
     * These options with a token and a CORS origin.
     *
     * @param t the bearer token, or null
     * @param origin the allowed origin, or null
     * @return the options
     */
    public ServeOptions withAccess(String t, String origin) {
        return new ServeOptions(host, port, workers, maxQueue, maxBodyBytes, t, origin, drainTimeout);
    }
}
