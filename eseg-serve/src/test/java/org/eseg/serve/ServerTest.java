package org.eseg.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;
import org.eseg.data.ClassInfo;
import org.eseg.data.io.ImageFiles;
import org.eseg.infer.Colorizer;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.Segmentation;
import org.eseg.infer.Segmenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server in this JVM on a free port, with an untrained model: answers, errors, token, queue, metrics. */
class ServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServeOptions LOCAL = ServeOptions.DEFAULT.withAddress("127.0.0.1", 0);

    private static Segmenter segmenter;
    private static EsegServer server;
    private static URI base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        segmenter = Segmenter.load(Fixtures.model());
        server = EsegServer.start(List.of(new ServedModel("m", segmenter)), LOCAL);
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (segmenter != null) {
            segmenter.close();
        }
    }

    @Test
    void labelsAndColoursAreTheBytesPredictWritesForTheSameImage() throws Exception {
        byte[] png = Fixtures.png(48, 80, 1);
        Path file = Files.write(dir.resolve("street.png"), png);
        Path out = dir.resolve("out");
        new PredictionWriter(segmenter, out, null).write(List.of(file), null);

        HttpResponse<byte[]> labels = Fixtures.post(base.resolve("/predictions/m"), png);
        assertEquals(200, labels.statusCode());
        assertEquals("image/png", labels.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(Files.readAllBytes(out.resolve("street_labels.png")), labels.body());
        HttpResponse<byte[]> color = Fixtures.post(base.resolve("/predictions/m?output=color"), png);
        assertArrayEquals(Files.readAllBytes(out.resolve("street_color.png")), color.body());

        // The same image as a browser's form upload.
        String boundary = "----eseg" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"street.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.write(png);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> multipart = Fixtures.post(base.resolve("/predictions/m"), form.toByteArray(),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertArrayEquals(labels.body(), multipart.body());
    }

    @Test
    void overlayIsTheMaskBlendedOverTheImage() throws Exception {
        byte[] png = Fixtures.png(32, 40, 2);
        Segmentation s = segmenter.segment(ImageFiles.readRgb(png, Path.of("x")));
        byte[] mask = Colorizer.colorMask(s.labels(), segmenter.classes());
        byte[] expected = ImageFiles.rgbPng(32, 40,
                Colorizer.overlay(ImageFiles.readRgb(png, Path.of("x")).data(), mask, 0.25));
        HttpResponse<byte[]> r = Fixtures.post(base.resolve("/predictions/m?output=overlay&alpha=0.25"), png);
        assertEquals(200, r.statusCode());
        assertArrayEquals(expected, r.body());
    }

    @Test
    void jsonGivesEachClassShareAndTheEmbeddedPngs() throws Exception {
        byte[] png = Fixtures.png(40, 64, 3);
        HttpResponse<byte[]> r = Fixtures.post(base.resolve("/predictions/m?output=json&embed=labels"), png);
        assertEquals(200, r.statusCode());
        JsonNode j = JSON.readTree(r.body());
        assertEquals(64, j.get("width").asInt());
        assertEquals(40, j.get("height").asInt());
        byte[] labels = Base64.getDecoder().decode(j.get("labels_png").asText());
        assertArrayEquals(Fixtures.post(base.resolve("/predictions/m"), png).body(), labels);
        byte[] classOf = grayValues(labels);
        ClassInfo classes = segmenter.classes();
        assertEquals(classes.size(), j.get("classes").size());
        double sum = 0;
        for (JsonNode c : j.get("classes")) {
            int index = c.get("index").asInt();
            long count = 0;
            for (byte b : classOf) {
                count += (b & 0xFF) == index ? 1 : 0;
            }
            assertEquals(count / (double) classOf.length, c.get("fraction").asDouble(), 1e-6);
            assertEquals(String.format("#%06x", classes.color(index)), c.get("color").asText());
            sum += c.get("fraction").asDouble();
        }
        assertEquals(1.0, sum, 1e-5);
        assertTrue(j.get("timing").get("inference_ms").asDouble() > 0);
        assertFalse(j.has("color_png"));
    }

    @Test
    void testTimeAugmentationAndSlidingWindowsAreThoseOfPredict() throws Exception {
        byte[] png = Fixtures.png(40, 64, 4);
        InferenceOptions tta = new InferenceOptions(List.of(0.5, 1.0), true,
                new org.eseg.infer.SlidingWindow(32, 32, 16, 16));
        Segmentation s = segmenter.segment(ImageFiles.readRgb(png, Path.of("x")), tta);
        HttpResponse<byte[]> r = Fixtures.post(
                base.resolve("/predictions/m?scales=0.5,1.0&flip=true&mode=slide&window=32x32&stride=16x16"), png);
        assertEquals(200, r.statusCode());
        assertArrayEquals(ImageFiles.grayPng(40, 64, s.labels()), r.body());
    }

    @Test
    void everyRefusalIsJsonWithItsCode() throws Exception {
        assertError(Fixtures.post(base.resolve("/predictions/m"), "not an image".getBytes(StandardCharsets.UTF_8)),
                400, "BadRequest", "not a readable image");
        byte[] truncated = java.util.Arrays.copyOf(Fixtures.png(40, 64, 5), 200);
        assertError(Fixtures.post(base.resolve("/predictions/m"), truncated), 400, "BadRequest", "uploaded image");
        assertError(Fixtures.post(base.resolve("/predictions/m"), new byte[0]), 400, "BadRequest", "no image");
        assertError(Fixtures.post(base.resolve("/predictions/m?output=tiff"), Fixtures.png(8, 8, 1)), 400,
                "BadRequest", "output must be");
        assertError(Fixtures.post(base.resolve("/predictions/m?scales=0"), Fixtures.png(8, 8, 1)), 400,
                "BadRequest", "scales");
        assertError(Fixtures.post(base.resolve("/predictions/m?mode=slide"), Fixtures.png(8, 8, 1)), 400,
                "BadRequest", "window");
        assertError(Fixtures.post(base.resolve("/predictions/m?path=/etc/passwd"), Fixtures.png(8, 8, 1)), 400,
                "BadRequest", "unknown query parameter 'path'");
        assertError(Fixtures.post(base.resolve("/predictions/other"), Fixtures.png(8, 8, 1)), 404, "NotFound",
                "no model named 'other'");
        assertError(Fixtures.post(base.resolve("/predictions/..%2F..%2Fetc%2Fpasswd"), Fixtures.png(8, 8, 1)), 404,
                "NotFound", "no model named");
        assertError(Fixtures.get(base.resolve("/index.html")), 404, "NotFound", "no such resource");
        assertError(Fixtures.get(base.resolve("/../../etc/passwd")), 404, "NotFound", "no such resource");
        assertError(Fixtures.get(base.resolve("/predictions/m")), 405, "MethodNotAllowed", "GET");
        // A header that claims 3.6 gigapixels: refused from the header, before any pixel is decoded.
        assertError(Fixtures.post(base.resolve("/predictions/m"), pngHeaderOnly(60_000, 60_000)), 413,
                "PayloadTooLarge", "image too large: 60000x60000");
    }

    @Test
    void aBodyOverTheLimitIsRefusedFromItsContentLengthWithoutReadingIt() throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /predictions/m HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + ((64L << 20) + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // No body is sent: the answer can only come from the header.
            String answer = readAnswer(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            JsonNode j = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(413, j.get("code").asInt());
            assertEquals("PayloadTooLarge", j.get("type").asText());
            assertTrue(j.get("message").asText().contains("above the limit of 67108864 bytes"), answer);
        }
        // Without a length (chunked), the body is counted while read.
        EsegServer small = EsegServer.start(List.of(new ServedModel("m", segmenter)), LOCAL.withMaxBody(1000));
        try {
            java.net.http.HttpRequest chunked = java.net.http.HttpRequest.newBuilder(small.uri().resolve("/predictions/m"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(Fixtures.png(64, 64, 6))))
                    .build();
            HttpResponse<byte[]> r = Fixtures.HTTP.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
            assertError(r, 413, "PayloadTooLarge", "above the limit of 1000 bytes");
        } finally {
            small.stop();
        }
    }

    @Test
    void aTokenIsNeededForTheApiButNotForThePageOrPing() throws Exception {
        EsegServer locked = EsegServer.start(List.of(new ServedModel("m", segmenter)),
                LOCAL.withAccess("s3cret", null));
        try {
            URI u = locked.uri();
            byte[] png = Fixtures.png(16, 16, 7);
            HttpResponse<byte[]> none = Fixtures.post(u.resolve("/predictions/m"), png);
            assertError(none, 401, "Unauthorized", "Authorization: Bearer");
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertError(Fixtures.post(u.resolve("/predictions/m"), png, "Authorization", "Bearer wrong"), 401,
                    "Unauthorized", "Bearer");
            assertError(Fixtures.get(u.resolve("/models")), 401, "Unauthorized", "Bearer");
            assertError(Fixtures.get(u.resolve("/metrics")), 401, "Unauthorized", "Bearer");
            assertEquals(200, Fixtures.post(u.resolve("/predictions/m"), png, "Authorization", "Bearer s3cret")
                    .statusCode());
            assertEquals(200, Fixtures.get(u.resolve("/models"), "Authorization", "Bearer s3cret").statusCode());
            assertEquals(200, Fixtures.get(u.resolve("/ping")).statusCode());
            assertEquals(200, Fixtures.get(u).statusCode());
        } finally {
            locked.stop();
        }
    }

    @Test
    void aFullQueueIsAnswered503WithRetryAfterAtOnce() throws Exception {
        EsegServer busy = EsegServer.start(List.of(new ServedModel("m", segmenter)), LOCAL.withQueue(1, 1));
        CountDownLatch release = new CountDownLatch(1);
        try {
            occupyTheWorker(busy, release);
            busy.workers().execute(() -> awaitQuietly(release)); // the one waiting place is taken
            byte[] png = Fixtures.png(16, 16, 8);
            HttpResponse<byte[]> r = Fixtures.post(busy.uri().resolve("/predictions/m"), png);
            assertError(r, 503, "ServiceUnavailable", "1 requests are waiting");
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
            String metrics = Fixtures.get(busy.uri().resolve("/metrics")).body();
            assertTrue(metrics.contains("eseg_queue_depth 1\n"), metrics);
            release.countDown();
            // The released tasks leave the queue on the worker's own schedule: wait until the place is free.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Fixtures.get(busy.uri().resolve("/metrics")).body().contains("eseg_queue_depth 0\n")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(200, Fixtures.post(busy.uri().resolve("/predictions/m"), png).statusCode());
        } finally {
            release.countDown();
            busy.stop();
        }
    }

    @Test
    void pingModelsMetricsAndThePage() throws Exception {
        assertEquals("{\"status\":\"ready\"}", Fixtures.get(base.resolve("/ping")).body());
        JsonNode models = JSON.readTree(Fixtures.get(base.resolve("/models")).body()).get("models");
        assertEquals(1, models.size());
        JsonNode m = models.get(0);
        assertEquals("m", m.get("name").asText());
        assertEquals("eseg-lite-s", m.get("architecture").asText());
        assertEquals(segmenter.classes().size(), m.get("classes").size());
        assertEquals(segmenter.classes().name(1), m.get("classes").get(1).get("name").asText());
        assertEquals(64L << 20, m.get("input").get("max_body_bytes").asLong());

        Fixtures.post(base.resolve("/predictions/m"), Fixtures.png(16, 16, 9));
        Fixtures.post(base.resolve("/predictions/nobody"), Fixtures.png(16, 16, 9));
        String metrics = Fixtures.get(base.resolve("/metrics")).body();
        assertTrue(metrics.matches("(?s).*eseg_requests_total\\{code=\"200\"} [1-9].*"), metrics);
        assertTrue(metrics.matches("(?s).*eseg_requests_total\\{code=\"404\"} [1-9].*"), metrics);
        assertTrue(metrics.contains("eseg_request_duration_seconds_bucket{le=\"+Inf\"}"), metrics);
        assertTrue(metrics.matches("(?s).*process_resident_memory_bytes [1-9][0-9]{6,}.*"), metrics);
        assertTrue(metrics.matches("(?s).*eseg_images_total [1-9].*"), metrics);

        HttpResponse<String> page = Fixtures.get(base);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertTrue(page.body().contains("id=\"legend\""));
        // Self-contained: nothing is loaded from elsewhere.
        assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "the page loads an external resource");
        // No CORS unless asked.
        assertTrue(page.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void corsIsOnlyWhereAsked() throws Exception {
        EsegServer open = EsegServer.start(List.of(new ServedModel("m", segmenter)),
                LOCAL.withAccess(null, "https://example.org"));
        try {
            HttpResponse<String> r = Fixtures.get(open.uri().resolve("/ping"));
            assertEquals("https://example.org", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            HttpResponse<String> preflight = Fixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(
                    open.uri().resolve("/predictions/m")).method("OPTIONS",
                    java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertNotNull(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        } finally {
            open.stop();
        }
    }

    @Test
    void stopAnswersWhatIsQueuedThenRefusesConnections() throws Exception {
        EsegServer s = EsegServer.start(List.of(new ServedModel("m", segmenter)), LOCAL.withQueue(1, 4));
        CountDownLatch release = new CountDownLatch(1);
        occupyTheWorker(s, release);
        URI u = s.uri();
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> queued = Fixtures.HTTP.sendAsync(
                java.net.http.HttpRequest.newBuilder(u.resolve("/predictions/m"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Fixtures.png(24, 24, 10))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        while (s.workers().getQueue().isEmpty()) {
            Thread.sleep(10);
        }
        Thread stopper = new Thread(s::stop);
        stopper.start();
        Thread.sleep(200);
        release.countDown();
        HttpResponse<byte[]> r = queued.get();
        assertEquals(200, r.statusCode());
        stopper.join(30_000);
        assertFalse(stopper.isAlive());
        assertThrowsIo(() -> Fixtures.get(u.resolve("/ping")));
    }

    private static void assertThrowsIo(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, e);
    }

    /** Keeps the server's only worker busy until the latch is released. */
    private static void occupyTheWorker(EsegServer s, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        s.workers().execute(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        running.await();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertError(HttpResponse<?> r, int code, String type, String messagePart) throws Exception {
        String body = r.body() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) r.body();
        assertEquals(code, r.statusCode(), body);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode j = JSON.readTree(body);
        assertEquals(3, j.size(), body);
        assertEquals(code, j.get("code").asInt());
        assertEquals(type, j.get("type").asText());
        assertTrue(j.get("message").asText().contains(messagePart), body);
    }

    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            b.write(buf, 0, n);
            String s = b.toString(StandardCharsets.UTF_8);
            int end = s.indexOf("\r\n\r\n");
            if (end > 0) {
                int len = s.toLowerCase().indexOf("content-length: ");
                if (len > 0) {
                    int v = Integer.parseInt(s.substring(len + 16, s.indexOf("\r\n", len)).trim());
                    if (b.size() >= end + 4 + v) {
                        return s;
                    }
                }
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static byte[] grayValues(byte[] png) throws java.io.IOException {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        return ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    /** A PNG signature, header and end, with no pixel data: only a header-first reader can size it. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
        byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return (int) c.getValue();
    }
}
