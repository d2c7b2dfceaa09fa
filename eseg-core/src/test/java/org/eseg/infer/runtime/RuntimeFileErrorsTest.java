package org.eseg.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtimes that open exported files (ONNX, TorchScript) name the file they cannot open. */
class RuntimeFileErrorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "pt"})
    void corruptOrMissingFileIsReportedWithItsName(String extension) throws IOException {
        Path file = dir.resolve("broken." + extension);
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Files.write(file, junk);
        IOException e = assertThrows(IOException.class, () -> open(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        Path none = dir.resolve("none." + extension);
        IOException missing = assertThrows(IOException.class, () -> open(none));
        assertTrue(missing.getMessage().contains(none.getFileName().toString()), missing.getMessage());
    }

    private static SegmentationRuntime open(Path file) throws IOException {
        return file.toString().endsWith(".onnx") ? OrtRuntime.open(file, RuntimeOptions.DEFAULT)
                : DjlRuntime.open(file, RuntimeOptions.DEFAULT);
    }
}
