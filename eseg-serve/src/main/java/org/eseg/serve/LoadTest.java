package org.eseg.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for a running server: clients that each post an image, wait for the answer and post again, for
 * a time or a number of requests. It counts answers by status and transport errors, and takes latencies from the
 * clients' side.
 */
public final class LoadTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI predictions;
    private final byte[] image;
    private final String token;

    /**
     * What one load level gave.
     *
     * @param concurrency clients
     * @param seconds how long the level ran
     * @param statuses answers by HTTP status
     * @param errors requests that got no answer (connection refused or reset, timeout)
     * @param ok200PerSecond answers with status 200 per second
     * @param p50Ms median latency of all answers
     * @param p99Ms 99th percentile latency of all answers
     */
    public record Level(int concurrency, double seconds, Map<Integer, Long> statuses, long errors,
            double ok200PerSecond, double p50Ms, double p99Ms) {

        /**
         * All answers and errors.
         *
         * @return the count
         */
        public long requests() {
            return statuses.values().stream().mapToLong(Long::longValue).sum() + errors;
        }
    }

    /**
     * Prepares a load test.
     *
     * @param predictions the URL posted to, e.g. {@code http://127.0.0.1:8080/predictions/city}
     * @param image the image bytes each request sends
     * @param token the bearer token, or null
     */
    public LoadTest(URI predictions, byte[] image, String token) {
        this.predictions = predictions;
        this.image = image.clone();
        this.token = token;
    }

    /**
     * Runs clients until the time is up or the requests are sent, whichever comes first.
     *
     * @param concurrency clients
     * @param duration how long
     * @param maxRequests requests in all (Long.MAX_VALUE for no limit)
     * @return the level's figures
     * @throws InterruptedException if interrupted
     */
    public Level run(int concurrency, Duration duration, long maxRequests) throws InterruptedException {
        if (concurrency < 1) {
            throw new IllegalArgumentException("the concurrency must be at least 1, got " + concurrency);
        }
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong budget = new AtomicLong(maxRequests);
        List<Client> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Client c = new Client(end, budget);
            clients.add(c);
            c.thread.start();
        }
        for (Client c : clients) {
            c.thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Long> statuses = new TreeMap<>();
        long errors = 0;
        List<long[]> all = new ArrayList<>();
        int n = 0;
        for (Client c : clients) {
            c.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            errors += c.errors;
            all.add(Arrays.copyOf(c.latencies, c.count));
            n += c.count;
        }
        long[] lat = new long[n];
        int at = 0;
        for (long[] l : all) {
            System.arraycopy(l, 0, lat, at, l.length);
            at += l.length;
        }
        Arrays.sort(lat);
        long ok = statuses.getOrDefault(200, 0L);
        return new Level(concurrency, seconds, statuses, errors, ok / seconds, percentile(lat, 0.50),
                percentile(lat, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /**
     * The server's resident memory, from its {@code /metrics}.
     *
     * @param base the server's base URL
     * @return bytes, or -1 when the server does not say
     * @throws IOException if the server cannot be reached
     * @throws InterruptedException if interrupted
     */
    public long serverResidentBytes(URI base) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        String text = client.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("process_resident_memory_bytes ")) {
                return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return -1;
    }

    /** One client: posts, waits, posts again. */
    private final class Client {
        final Thread thread = new Thread(this::loop, "eseg-load");
        final Map<Integer, Long> statuses = new TreeMap<>();
        long errors;
        long[] latencies = new long[1024];
        int count;
        private final long end;
        private final AtomicLong budget;

        Client(long end, AtomicLong budget) {
            this.end = end;
            this.budget = budget;
        }

        private void loop() {
            HttpRequest.Builder b = HttpRequest.newBuilder(predictions).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpRequest request = b.build();
            while (System.nanoTime() < end && budget.getAndDecrement() > 0) {
                long t0 = System.nanoTime();
                try {
                    HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = System.nanoTime() - t0;
                    statuses.merge(r.statusCode(), 1L, Long::sum);
                } catch (IOException e) {
                    errors++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
