package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheCityscapesLayoutReproducibly() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = EsegCli.run("synth", "--out", tmp.resolve("a").toString(), "--train", "2", "--val", "1",
                    "--size", "64x128", "--seed", "5");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("wrote 2 train + 1 val"));
        Path img = Path.of("leftImg8bit/val/synth/synth_000000_000019_leftImg8bit.png");
        Path mask = Path.of("gtFine/train/synth/synth_000001_000019_gtFine_labelIds.png");
        assertTrue(Files.isRegularFile(tmp.resolve("a").resolve(img)));
        CliRun again = CliRun.of("synth", "--out", tmp.resolve("b").toString(), "--train", "2", "--val", "1",
                "--size", "64x128", "--seed", "5", "--threads", "1");
        assertEquals(0, again.exitCode());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(img)),
                Files.readAllBytes(tmp.resolve("b").resolve(img)));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(mask)),
                Files.readAllBytes(tmp.resolve("b").resolve(mask)));
    }

    @Test
    void badArgumentsExitWithTwo() {
        CliRun r = CliRun.of("synth", "--out", tmp.toString(), "--size", "64by128");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--size"), r.err());
        assertEquals(2, CliRun.of("synth", "--out", tmp.toString(), "--train", "0", "--val", "0").exitCode());
        assertEquals(2, CliRun.of("synth").exitCode()); // --out missing
    }
}
