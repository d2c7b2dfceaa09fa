package org.eseg.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;

/** An untrained model file, test images and an HTTP client for the server's tests. */
final class Fixtures {

    private static Path model;

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Fixtures() {}

    /**
     * An untrained ESeg-Lite-S with 4 classes, written once per test JVM (removed at its exit).
     *
     * @return the model file
     */
    static synchronized Path model() {
        if (model == null) {
            try {
                Path dir = Files.createTempDirectory("eseg-serve-model");
                dir.toFile().deleteOnExit();
                Path file = dir.resolve("lite.eseg");
                file.toFile().deleteOnExit();
                try (NDManager m = NDManager.newBaseManager()) {
                    EsegModel net = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(4));
                    net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
                    ModelFile.save(net, file);
                }
                model = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    /**
     * A PNG of random colours in smooth bands (so that an untrained network still predicts several classes).
     *
     * @param h rows
     * @param w columns
     * @param seed the random seed
     * @return the PNG's bytes
     */
    static byte[] png(int h, int w, long seed) {
        Random r = new Random(seed);
        int[] band = new int[8];
        for (int i = 0; i < band.length; i++) {
            band[i] = r.nextInt(1 << 24);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, band[(x * 8 / w + y * 3 / h) % band.length] ^ r.nextInt(16));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static HttpResponse<byte[]> post(URI uri, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
