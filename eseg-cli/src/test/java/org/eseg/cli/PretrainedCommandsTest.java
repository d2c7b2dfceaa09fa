package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eseg import-backbone} and {@code eseg features} on the EfficientNet-B0 fixture. */
class PretrainedCommandsTest {

    private static final Path FIXTURES = Path.of("../eseg-core/src/test/resources/fixtures/efficientnet_b0");

    @TempDir
    Path dir;

    private Path image() throws IOException {
        BufferedImage img = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 120; x++) {
                img.setRGB(x, y, (x * 2) << 16 | (y * 3) << 8 | ((x + y) & 0xff));
            }
        }
        Path file = dir.resolve("street.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private Path imported(String from, String file) {
        Path out = dir.resolve(from + ".weights");
        CliRun r = CliRun.of("import-backbone", "--from", from, "--in", FIXTURES.resolve(file).toString(),
                "--backbone", "efficientnet-b0", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("loaded 304 tensors"), r.out());
        assertTrue(r.out().contains("left out 7:"), r.out());
        assertTrue(r.out().contains("BatchNorm eps 1.0E-5"), r.out());
        return out;
    }

    @Test
    void importsBothLayouts() {
        imported("timm", "timm_b0_fp16.safetensors");
        Path tv = imported("torchvision", "torchvision_b0_fp16.safetensors");
        assertTrue(Files.isRegularFile(tv));
    }

    @Test
    void featuresWritesP1ToP5() throws IOException {
        Path weights = imported("torchvision", "torchvision_b0_fp16.safetensors");
        Path out = dir.resolve("f.npz");
        CliRun r = CliRun.of("features", "--backbone", "efficientnet-b0", "--weights", weights.toString(),
                "--image", image().toString(), "--input", "64x96", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        long[][] expected = {{16, 32, 48}, {24, 16, 24}, {40, 8, 12}, {112, 4, 6}, {320, 2, 3}};
        try (NDManager m = NDManager.newBaseManager(); InputStream in = Files.newInputStream(out)) {
            NDList list = NDList.decode(m, in);
            assertEquals(5, list.size());
            for (int i = 0; i < 5; i++) {
                assertEquals("P" + (i + 1), list.get(i).getName());
                assertEquals(DataType.FLOAT32, list.get(i).getDataType());
                long[] e = expected[i];
                assertEquals(new Shape(1, e[0], e[1], e[2]), list.get(i).getShape());
                assertFalse(Float.isNaN(list.get(i).sum().getFloat()));
            }
        }
    }

    @Test
    void featuresWithoutWeightsUsesTheImageSize() throws IOException {
        Path out = dir.resolve("random.npz");
        CliRun r = CliRun.of("features", "--backbone", "efficientnet-b0", "--image", image().toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("P1 (1, 16, 40, 60)"), r.out());
        assertTrue(r.out().contains("P5 (1, 320, 3, 4)"), r.out());
    }

    @Test
    void wrongBackboneFailsNamingTheFile() {
        CliRun r = CliRun.of("import-backbone", "--from", "torchvision",
                "--in", FIXTURES.resolve("torchvision_b0_fp16.safetensors").toString(),
                "--backbone", "efficientnet-b1", "--out", dir.resolve("x.weights").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("torchvision_b0_fp16.safetensors") && r.err().contains("efficientnet-b1"),
                r.err());
        assertFalse(Files.exists(dir.resolve("x.weights")));
    }

    @Test
    void badArgumentsExitWith2() throws IOException {
        String in = FIXTURES.resolve("timm_b0_fp16.safetensors").toString();
        String out = dir.resolve("x.weights").toString();
        assertEquals(2, CliRun.of("import-backbone", "--from", "keras", "--in", in,
                "--backbone", "efficientnet-b0", "--out", out).exitCode());
        CliRun r = CliRun.of("import-backbone", "--from", "timm", "--in", in, "--backbone", "efficientnet-b9",
                "--out", out);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown backbone"), r.err());
        assertEquals(2, CliRun.of("features", "--backbone", "efficientnet-b0", "--image", image().toString(),
                "--input", "64by96", "--out", dir.resolve("f.npz").toString()).exitCode());
    }

    @Test
    void missingImageExitsWith1NamingIt() {
        CliRun r = CliRun.of("features", "--backbone", "efficientnet-b0",
                "--image", dir.resolve("nope.png").toString(), "--out", dir.resolve("f.npz").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("nope.png"), r.err());
    }
}
