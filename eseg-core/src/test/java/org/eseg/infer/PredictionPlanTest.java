package org.eseg.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eseg.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How predict names its outputs, and how a failed image is reported. */
class PredictionPlanTest {

    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[] {1});
    }

    private static List<String> names(List<PredictionWriter.Input> plan) {
        return plan.stream().map(PredictionWriter.Input::name).toList();
    }

    @Test
    void namesMirrorFoldersAndKeepTheExtensionOnlyForSharedStems() throws IOException {
        touch("in/b.png");
        touch("in/a.png");
        touch("in/A.jpg"); // the same stem on a case-blind disk
        touch("in/x/a.png");
        touch("in/.hidden.png");
        touch("in/notes.txt");
        touch("in/out/old_labels.png");
        Path in = dir.resolve("in");
        List<PredictionWriter.Input> plan = PredictionWriter.plan(List.of(in, in.resolve("b.png")), in.resolve("out"));
        assertEquals(List.of("A.jpg", "a.png", "b", "x/a"), names(plan), "sorted, each once, outputs left out");
        assertEquals(in.resolve("x/a.png").toAbsolutePath(), plan.get(3).file());
    }

    @Test
    void filesFromDifferentFoldersKeepTheirFoldersBelowTheCommonOne() throws IOException {
        Path a = touch("p/x/a.png");
        Path b = touch("p/y/z/a.png");
        assertEquals(List.of("x/a", "y/z/a"), names(PredictionWriter.plan(List.of(a, b), dir.resolve("out"))));
        assertEquals(List.of("a"), names(PredictionWriter.plan(List.of(a), dir.resolve("out"))));
    }

    @Test
    void namesThatWouldStillCollideAreRefusedBeforeAnyWork() throws IOException {
        touch("in/a.png");
        touch("in/a.jpg");
        touch("in/a.png.jpg"); // stem "a.png", the name a.png keeps
        IOException e = assertThrows(IOException.class,
                () -> PredictionWriter.plan(List.of(dir.resolve("in")), dir.resolve("out")));
        assertTrue(e.getMessage().contains("a.png.jpg") && e.getMessage().contains("'a.png'"), e.getMessage());
    }

    @Test
    void aFailureIsOneLineWithoutTheFileName() {
        Path f = dir.resolve("big.png");
        String oom = PredictionWriter.Failure.of(f, new OutOfMemoryError("Java heap space")).message();
        assertTrue(oom.startsWith("out of memory while segmenting it (Java heap "), oom);
        assertEquals("can't allocate memory", PredictionWriter.Failure.of(f,
                new EngineException("can't allocate memory\nException raised from alloc_cpu at ...")).message());
        assertEquals("damaged image", PredictionWriter.Failure.of(f, new DataException(f, "damaged image")).message());
    }
}
