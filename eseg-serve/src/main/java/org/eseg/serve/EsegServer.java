package org.eseg.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eseg.data.io.PixelLimit;

/**
 * An HTTP server for segmentation models on the JDK's {@code com.sun.net.httpserver}: {@code GET /} (a web page to
 * try the models), {@code GET /ping}, {@code GET /models}, {@code POST /predictions/{model}} and {@code GET
 * /metrics}. See docs/serve.md.
 *
 * <p>A few HTTP threads read requests and answer the cheap ones; a prediction's body is read (up to the body
 * limit), then handed to a bounded queue in front of the inference workers, which decode, segment, encode and answer.
 * When the queue is full the request is answered 503 with {@code Retry-After} at once, so that a burst never
 * piles up memory or latency. {@link #stop} stops taking requests, lets the accepted ones finish and returns.
 */
public final class EsegServer implements AutoCloseable {

    /** Threads that read requests; they never wait for inference. */
    private static final int HTTP_THREADS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private final ServeOptions options;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ThreadPoolExecutor workers;
    private final Metrics metrics;
    private final Predictions predictions;
    /** Exchanges accepted and not yet answered. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final byte[] page;

    private EsegServer(List<ServedModel> served, ServeOptions options) throws IOException {
        if (served.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        for (ServedModel m : served) {
            if (models.put(m.name(), m) != null) {
                throw new IllegalArgumentException("two models are named '" + m.name() + "'");
            }
        }
        this.options = options;
        try (InputStream in = EsegServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IOException("the web page is missing from the jar (org/eseg/serve/index.html)");
            }
            page = in.readAllBytes();
        }
        AtomicInteger worker = new AtomicInteger();
        workers = new ThreadPoolExecutor(options.workers(), options.workers(), 0, TimeUnit.SECONDS,
                options.maxQueue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(options.maxQueue()),
                r -> daemon(r, "eseg-serve-worker-" + worker.incrementAndGet()), new ThreadPoolExecutor.AbortPolicy());
        metrics = new Metrics(() -> workers.getQueue().size(), inFlight::get);
        predictions = new Predictions(metrics);
        AtomicInteger reader = new AtomicInteger();
        httpThreads = Executors.newFixedThreadPool(HTTP_THREADS,
                r -> daemon(r, "eseg-serve-http-" + reader.incrementAndGet()));
        try {
            http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 128);
        } catch (IOException e) {
            workers.shutdownNow();
            httpThreads.shutdownNow();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(),
                    e);
        }
        http.setExecutor(httpThreads);
        http.createContext("/", this::handle);
    }

    /**
     * Starts serving models.
     *
     * @param models the models, loaded; they stay the caller's to close after {@link #stop}
     * @param options where to listen and how much to accept
     * @return the running server
     * @throws IOException if the address cannot be bound, naming it
     */
    public static EsegServer start(List<ServedModel> models, ServeOptions options) throws IOException {
        EsegServer s = new EsegServer(models, options);
        s.http.start();
        return s;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The address the server listens on (with the port chosen when the options said 0).
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /**
     * The server's base URL, e.g. {@code http://127.0.0.1:8080/}.
     *
     * @return the URL
     */
    public URI uri() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + address().getPort() + "/");
    }

    /** The workers' executor; tests occupy it to fill the queue. */
    ThreadPoolExecutor workers() {
        return workers;
    }

    /**
     * Stops accepting requests, answers those already accepted (waiting at most the drain timeout) and stops. Safe
     * to call more than once and from any thread; later calls wait for the first to finish.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            // New predictions are refused (503) from here on; wait for the accepted ones to be answered, then close
            // the listener. (The JDK 17 server's own stop delay cannot be cut short when no exchange ends while it
            // waits, so the waiting is done here.)
            long deadline = System.nanoTime() + options.drainTimeout().toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            http.stop(0);
            workers.shutdown();
            awaitQuietly(workers);
            httpThreads.shutdown();
            awaitQuietly(httpThreads);
        } finally {
            stopped.countDown();
        }
    }

    private void awaitQuietly(ExecutorService e) {
        try {
            if (!e.awaitTermination(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                e.shutdownNow();
            }
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the server has stopped. */
    public void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the server, draining, when the process receives SIGTERM or SIGINT (instead of the JVM's default exit
     * code 143), so that the caller can wait with {@link #awaitStopped} and exit normally.
     */
    @SuppressWarnings("removal")
    public void stopOnSignals() {
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> daemon(this::stop, "eseg-serve-stop").start());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        Reply reply = new Reply(ex, start);
        try {
            route(ex, reply);
        } catch (ApiError e) {
            reply.error(e);
        } catch (RuntimeException | IOException e) {
            reply.error(new ApiError(500, "InternalServerError", String.valueOf(e.getMessage())));
        }
    }

    private void route(HttpExchange ex, Reply reply) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (options.corsOrigin() != null) {
            Headers h = ex.getResponseHeaders();
            h.set("Access-Control-Allow-Origin", options.corsOrigin());
            h.set("Vary", "Origin");
            if (method.equals("OPTIONS")) {
                h.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                h.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
                reply.send(204, null, new byte[0]);
                return;
            }
        }
        if (path.equals("/")) {
            only("GET", method, path);
            Headers h = ex.getResponseHeaders();
            // The page is self-contained: it may load nothing from anywhere, and talks only to this server.
            h.set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                    + "style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; form-action 'none'");
            h.set("X-Content-Type-Options", "nosniff");
            reply.send(200, "text/html; charset=utf-8", page);
        } else if (path.equals("/ping")) {
            only("GET", method, path);
            boolean ready = !stopping.get();
            reply.json(ready ? 200 : 503, Map.of("status", ready ? "ready" : "stopping"));
        } else if (path.equals("/models")) {
            only("GET", method, path);
            authorize(ex);
            reply.json(200, Map.of("models", describeModels()));
        } else if (path.equals("/metrics")) {
            only("GET", method, path);
            authorize(ex);
            reply.send(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.text().getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith("/predictions/")) {
            only("POST", method, path);
            authorize(ex);
            predict(ex, reply, path.substring("/predictions/".length()));
        } else {
            throw ApiError.notFound("no such resource: " + path
                    + " (the API: GET /ping, GET /models, POST /predictions/{model}, GET /metrics)");
        }
    }

    private static void only(String allowed, String method, String path) {
        if (!allowed.equals(method)) {
            throw ApiError.methodNotAllowed(method, path);
        }
    }

    private void authorize(HttpExchange ex) {
        if (options.token() == null) {
            return;
        }
        String given = ex.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw ApiError.unauthorized();
        }
    }

    private List<Map<String, Object>> describeModels() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServedModel m : models.values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", m.name());
            o.put("architecture", m.segmenter().model().config().name());
            o.put("runtime", m.segmenter().runtime().label());
            o.put("classes", Predictions.classes(m.segmenter().classes(), null));
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("formats", List.of("png", "jpeg", "bmp", "gif"));
            input.put("any_size", true);
            input.put("max_pixels", PixelLimit.max());
            input.put("max_body_bytes", options.maxBodyBytes());
            input.put("outputs", List.of("labels", "color", "overlay", "json"));
            o.put("input", input);
            out.add(o);
        }
        return out;
    }

    private void predict(HttpExchange ex, Reply reply, String rawName) throws IOException {
        String name = java.net.URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        ServedModel model = ServedModel.validName(name) ? models.get(name) : null;
        if (model == null) {
            throw ApiError.notFound("no model named '" + name + "' (served: " + String.join(", ", models.keySet())
                    + ")");
        }
        PredictionQuery query = PredictionQuery.parse(ex.getRequestURI().getRawQuery());
        byte[] body = readBody(ex);
        String boundary = Multipart.boundary(ex.getRequestHeaders().getFirst("Content-Type"));
        byte[] image = boundary == null ? body : Multipart.field(body, boundary, "image");
        if (image.length == 0) {
            throw ApiError.badRequest("the request has no image: send its bytes as the body, or a multipart form "
                    + "field 'image'");
        }
        if (stopping.get()) {
            throw ApiError.stopping();
        }
        try {
            workers.execute(() -> {
                try {
                    Predictions.Result r = predictions.run(model, image, query, reply.start);
                    r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                    reply.send(200, r.contentType(), r.body());
                } catch (ApiError e) {
                    reply.error(e);
                } catch (IOException | RuntimeException e) {
                    reply.error(new ApiError(500, "InternalServerError", String.valueOf(e.getMessage())));
                } catch (Error e) {
                    reply.error(new ApiError(500, "InternalServerError", e.toString()));
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            ex.getResponseHeaders().set("Retry-After", "1");
            throw workers.isShutdown() ? ApiError.stopping() : ApiError.queueFull(options.maxQueue());
        }
    }

    /** The body, refused from the Content-Length header when it says too much, else while reading. */
    private byte[] readBody(HttpExchange ex) throws IOException {
        long limit = options.maxBodyBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length is not a number: " + length);
            }
            if (n > limit) {
                throw tooLarge(n);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 << 10];
        try (InputStream in = ex.getRequestBody()) {
            int r;
            while ((r = in.read(buf)) > 0) {
                if (out.size() + (long) r > limit) {
                    throw tooLarge(out.size() + (long) r);
                }
                out.write(buf, 0, r);
            }
        }
        return out.toByteArray();
    }

    private ApiError tooLarge(long n) {
        return ApiError.tooLarge("the request body of " + n + " bytes is above the limit of "
                + options.maxBodyBytes() + " bytes");
    }

    /** Answers one exchange exactly once, and counts it. */
    private final class Reply {
        private final HttpExchange ex;
        private final long start;
        private final AtomicBoolean sent = new AtomicBoolean();

        Reply(HttpExchange ex, long start) {
            this.ex = ex;
            this.start = start;
        }

        void json(int code, Object value) {
            try {
                send(code, "application/json", JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void error(ApiError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", e.code());
            body.put("type", e.type());
            body.put("message", e.getMessage());
            json(e.code(), body);
        }

        void send(int code, String contentType, byte[] body) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            try {
                if (contentType != null) {
                    ex.getResponseHeaders().set("Content-Type", contentType);
                }
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                // The client went away; nothing to answer to.
            } finally {
                ex.close();
                metrics.request(code, System.nanoTime() - start);
                inFlight.decrementAndGet();
            }
        }
    }
}
