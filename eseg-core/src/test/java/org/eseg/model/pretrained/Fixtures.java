package org.eseg.model.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The EfficientNet-B0 fixture files and a safetensors writer for altered copies. */
final class Fixtures {

    private Fixtures() {}

    static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/efficientnet_b0/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path torchvision() {
        return file("torchvision_b0_fp16.safetensors");
    }

    static Path timm() {
        return file("timm_b0_fp16.safetensors");
    }

    static Path reference() {
        return file("reference_features.safetensors");
    }

    /** Writes named tensors as safetensors (DJL's encoder). */
    static void writeSafetensors(Map<String, NDArray> tensors, Path file) throws IOException {
        NDList list = new NDList();
        tensors.forEach((name, a) -> {
            a.setName(name);
            list.add(a);
        });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    /** Reads a fixture file. */
    static Map<String, NDArray> read(Path file, NDManager m) throws IOException {
        return SafetensorsReader.read(file, m);
    }
}
