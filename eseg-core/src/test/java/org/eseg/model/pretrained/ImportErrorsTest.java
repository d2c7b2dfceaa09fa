package org.eseg.model.pretrained;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.eseg.model.backbone.BackboneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that does not fit is rejected with a message naming the file and the tensor. */
class ImportErrorsTest {

    @TempDir
    Path dir;

    private static IOException failure(Path file, WeightLayout layout, int b) {
        try (NDManager m = NDManager.newBaseManager()) {
            return assertThrows(IOException.class, () ->
                    BackboneWeights.importFrom(file, layout, BackboneConfig.efficientNet(b), 1e-5, m));
        }
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void b0FileIsNotB1() {
        IOException e = failure(Fixtures.torchvision(), WeightLayout.TORCHVISION, 1);
        assertMentions(e, "torchvision_b0_fp16.safetensors", "efficientnet-b1",
                "[1, 2, 2, 3, 3, 4, 1]", "[2, 3, 3, 4, 4, 5, 2]");
    }

    @Test
    void wrongLayoutIsNamed() {
        IOException e = failure(Fixtures.timm(), WeightLayout.TORCHVISION, 0);
        assertMentions(e, "timm_b0_fp16.safetensors", "timm layout");
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        byte[] all = Files.readAllBytes(Fixtures.torchvision());
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertMentions(failure(cut, WeightLayout.TORCHVISION, 0), "cut.safetensors", "truncated");
    }

    @Test
    void missingFileIsNamed() {
        IOException e = failure(dir.resolve("none.safetensors"), WeightLayout.TIMM, 0);
        assertMentions(e, "none.safetensors");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path file = dir.resolve("missing.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = Fixtures.read(Fixtures.torchvision(), m);
            t.remove("features.3.1.block.2.fc1.bias");
            Fixtures.writeSafetensors(t, file);
        }
        assertMentions(failure(file, WeightLayout.TORCHVISION, 0),
                "missing.safetensors", "'features.3.1.block.2.fc1.bias' is missing");
    }

    @Test
    void wrongShapeIsNamedWithBothShapes() throws IOException {
        Path file = dir.resolve("wide.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = Fixtures.read(Fixtures.timm(), m);
            t.put("blocks.2.0.conv_pwl.weight", m.zeros(new Shape(48, 144, 1, 1), DataType.FLOAT16));
            Fixtures.writeSafetensors(t, file);
        }
        assertMentions(failure(file, WeightLayout.TIMM, 0), "wide.safetensors",
                "'blocks.2.0.conv_pwl.weight' has shape (48, 144, 1, 1)", "expects (40, 144, 1, 1)");
    }

    @Test
    void unknownBackboneTensorIsRejected() throws IOException {
        Path file = dir.resolve("extra.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = Fixtures.read(Fixtures.timm(), m);
            t.put("blocks.0.0.extra.weight", m.zeros(new Shape(4), DataType.FLOAT16));
            Fixtures.writeSafetensors(t, file);
        }
        assertMentions(failure(file, WeightLayout.TIMM, 0), "extra.safetensors", "'blocks.0.0.extra.weight'");
    }
}
