package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eseg.infer.Segmenter;
import org.eseg.serve.EsegServer;
import org.eseg.serve.ServeOptions;
import org.eseg.serve.ServedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eseg serve} and {@code eseg benchmark --serve}: the server answers what {@code eseg predict} writes. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void labelsFromTheServerAreTheBytesOfPredictsLabelFile() throws Exception {
        Path model = TestModels.untrained(5);
        Path image = dir.resolve("street.png");
        javax.imageio.ImageIO.write(EvalPredictCommandsTest.randomImage(48, 96, 7, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", image.toFile());
        Path out = dir.resolve("preds");
        CliRun predict = CliRun.of("predict", "--checkpoint", model.toString(), image.toString(), "--out",
                out.toString());
        assertEquals(0, predict.exitCode(), predict.err());

        // The model opened as eseg serve opens it: the same runtime options, defaults included.
        RuntimeMixin engine = new RuntimeMixin();
        engine.runtime = "djl";
        engine.threads = new ThreadsMixin();
        engine.precision = new PrecisionMixin();
        try (Segmenter s = engine.open(model)) {
            EsegServer server = EsegServer.start(List.of(new ServedModel("m", s)),
                    ServeOptions.DEFAULT.withAddress("127.0.0.1", 0));
            try {
                URI url = server.uri().resolve("/predictions/m");
                HttpResponse<byte[]> labels = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                        .POST(HttpRequest.BodyPublishers.ofFile(image)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, labels.statusCode());
                assertArrayEquals(Files.readAllBytes(out.resolve("street_labels.png")), labels.body());

                CliRun load = CliRun.of("benchmark", "--serve", url.toString(), "--image", image.toString(),
                        "--concurrency", "1,2", "--duration", "1s");
                assertEquals(0, load.exitCode(), load.err());
                List<String> lines = load.out().lines().toList();
                assertTrue(lines.stream().anyMatch(l -> l.matches("1 +[1-9]\\d* .*\\{200=[1-9]\\d*}")), load.out());
                assertTrue(lines.stream().anyMatch(l -> l.matches("2 +[1-9]\\d* .*\\{200=[1-9]\\d*}")), load.out());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheArgument() throws Exception {
        Path model = TestModels.untrained(5);
        CliRun name = CliRun.of("serve", "--model", "a/b=" + model, "--port", "0");
        assertEquals(2, name.exitCode());
        assertTrue(name.err().contains("--model a/b=...: a name is"), name.err());
        CliRun token = CliRun.of("serve", "--model", "m=" + model, "--token-file", dir.resolve("none").toString());
        assertEquals(2, token.exitCode());
        assertTrue(token.err().contains("--token-file"), token.err());
        Files.writeString(dir.resolve("empty"), "\n");
        CliRun empty = CliRun.of("serve", "--model", "m=" + model, "--token-file", dir.resolve("empty").toString());
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("is empty"), empty.err());
        CliRun workers = CliRun.of("serve", "--model", "m=" + model, "--workers", "-1");
        assertEquals(2, workers.exitCode());
        assertTrue(workers.err().contains("worker count must be at least 0"), workers.err());
        CliRun missing = CliRun.of("serve", "--model", "m=" + dir.resolve("nothing.eseg"), "--port", "0");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nothing.eseg"), missing.err());
        CliRun neither = CliRun.of("benchmark", "--input", "32x32");
        assertEquals(2, neither.exitCode());
        assertTrue(neither.err().contains("--serve URL"), neither.err());
        CliRun duration = CliRun.of("benchmark", "--serve", "http://127.0.0.1:1/predictions/m", "--image",
                model.toString(), "--duration", "soon");
        assertEquals(2, duration.exitCode());
        assertTrue(duration.err().contains("--duration must look like 30s"), duration.err());
    }
}
