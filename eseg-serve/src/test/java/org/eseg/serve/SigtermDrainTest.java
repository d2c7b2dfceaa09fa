package org.eseg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** SIGTERM to a server in a child JVM: the request being segmented is answered, then the process exits 0. */
class SigtermDrainTest {

    @Test
    void sigtermFinishesTheRequestInProgressAndExitsZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), ServeChild.class.getName(), Fixtures.model().toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            StringBuilder log = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.startsWith("port ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            assertTrue(port > 0, "the server did not start:\n" + log);
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            // A slow request: a large image with test-time augmentation, several seconds on one core.
            int h = 256;
            int w = 512;
            CompletableFuture<HttpResponse<byte[]>> slow = Fixtures.HTTP.sendAsync(
                    HttpRequest.newBuilder(base.resolve("/predictions/m?scales=1.0,1.25&flip=true"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.png(h, w, 11))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            // Wait until it is being segmented (in flight: it and this metrics request).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Fixtures.get(base.resolve("/metrics")).body().contains("eseg_requests_in_flight 2\n")) {
                assertTrue(System.nanoTime() < deadline, "the slow request never arrived");
                Thread.sleep(20);
            }
            assertTrue(!slow.isDone(), "the request was not slow enough to test draining");
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            HttpResponse<byte[]> r = slow.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            var labels = ImageIO.read(new java.io.ByteArrayInputStream(r.body()));
            assertEquals(w, labels.getWidth());
            assertEquals(h, labels.getHeight());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
            }
            assertEquals(0, p.exitValue(), log.toString());
            assertTrue(log.toString().contains("stopped"), log.toString());
            assertThrows(IOException.class, () -> Fixtures.get(base.resolve("/ping")));
        } finally {
            p.destroyForcibly();
        }
    }
}
