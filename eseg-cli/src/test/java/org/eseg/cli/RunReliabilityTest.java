package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.util.FolderLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run is never lost or mixed up: {@code eseg train} on tiny synthetic data (lite-s, 64x128 crops,
 * batch 2) with an occupied, locked, moved, damaged or misconfigured run folder. Every run takes at most one step
 * from freshly initialised weights and resumes take none: some tiny runs reach a NaN loss at step 2 or 3 (on old
 * and new code alike), which is not what these tests are about.
 */
class RunReliabilityTest {

    private static final Path FIXTURES = Path.of("../eseg-core/src/test/resources/fixtures/efficientnet_b0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    static Path data;

    /** A finished 1-step run; tests work on copies of it. */
    static Path baseRun;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeDataAndARun() {
        data = shared.resolve("synth");
        CliRun r = CliRun.of("synth", "--out", data.toString(), "--train", "4", "--val", "1", "--size", "64x128",
                "--seed", "2", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        baseRun = shared.resolve("base-run");
        trained(baseRun, 1);
    }

    /**
     * {@code eseg train} of a tiny run into {@code out}; {@code extra} adds flags or replaces the common ones'
     * values.
     */
    private static CliRun train(Path out, long steps, String... extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        String[] common = {"--model", "eseg-lite-s", "--dataset", "cityscapes", "--data", data.toString(),
            "--out", out.toString(), "--crop", "64x128", "--batch", "2", "--steps", Long.toString(steps),
            "--threads", "1", "--workers", "1", "--val-split", "none", "--log-every", "1", "--checkpoint-every", "0"};
        for (int i = 0; i < common.length; i += 2) {
            flags.put(common[i], common[i + 1]);
        }
        for (int i = 0; i < extra.length; i++) {
            boolean hasValue = i + 1 < extra.length && !extra[i + 1].startsWith("--");
            flags.put(extra[i], hasValue ? extra[++i] : null);
        }
        List<String> args = new ArrayList<>(List.of("train"));
        flags.forEach((k, v) -> {
            args.add(k);
            if (v != null) {
                args.add(v);
            }
        });
        return CliRun.of(args.toArray(String[]::new));
    }

    private static CliRun trained(Path out, long steps, String... extra) {
        CliRun r = train(out, steps, extra);
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }

    /** A copy of the base run. */
    private Path copyOfBaseRun(String name) throws IOException {
        Path copy = tmp.resolve(name);
        copyTree(baseRun, copy);
        return copy;
    }

    private static List<Long> loggedSteps(Path run) throws IOException {
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("loss")) {
                steps.add(n.get("step").asLong());
            }
        }
        return steps;
    }

    private static long checkpointStep(Path run) throws IOException {
        return Checkpoint.readState(run).step();
    }

    /** The options saved in a run's checkpoint. */
    private static JsonNode savedOptions(Path run) throws IOException {
        return JSON.readTree(Checkpoint.readState(run).options());
    }

    @Test
    void aFolderHoldingARunIsRefusedUnlessOverwriteWhichKeepsTheUsersFiles() throws IOException {
        Path run = copyOfBaseRun("run");
        byte[] checkpoint = Files.readAllBytes(run.resolve("latest.eseg"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));

        CliRun again = train(run, 1);
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(again.err().contains("already holds a training run"), again.err());
        assertTrue(again.err().contains("--overwrite") && again.err().contains("--resume"), again.err());
        assertArrayEquals(checkpoint, Files.readAllBytes(run.resolve("latest.eseg")), "checkpoint untouched");
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")), "metrics untouched");

        Files.writeString(run.resolve("notes.txt"), "the user's own file");
        CliRun over = trained(run, 1, "--overwrite", "--seed", "7");
        assertTrue(over.err().contains("overwriting the run in"), over.err());
        assertEquals(7, savedOptions(run).get("seed").asLong(), "the new run's checkpoint");
        assertEquals(List.of(1L), loggedSteps(run), "one run's log, not two interleaved");
        assertEquals("the user's own file", Files.readString(run.resolve("notes.txt")));
    }

    @Test
    void aRunFolderLockedByAnotherProcessIsRefusedAtOnceAndAStaleLockIsTakenOver() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("locked"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), run.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());

            long start = System.nanoTime();
            CliRun second = train(run, 1);
            assertEquals(1, second.exitCode(), second.err());
            assertTrue(second.err().contains("is in use by pid " + holder.pid()), second.err());
            assertTrue(second.err().contains("started "), second.err());
            assertTrue((System.nanoTime() - start) / 1e9 < 30, "refused before training");
            assertFalse(Files.exists(run.resolve("latest.eseg")));
            assertFalse(Files.exists(run.resolve("train-options.json")));
        } finally {
            // A crash: SIGKILL leaves the lock file naming a process that no longer holds the lock.
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        CliRun after = trained(run, 1);
        assertTrue(after.err().contains("stale lock of pid " + holder.pid()), after.err());
        assertEquals(1, checkpointStep(run));
        assertEquals("", Files.readString(run.resolve(FolderLock.FILE_NAME)), "released: the lock file names no one");

        // A lock held inside this JVM is refused the same way, naming this process.
        try (FolderLock mine = FolderLock.acquire(run)) {
            CliRun resumed = CliRun.of("train", "--resume", run.toString(), "--steps", "1");
            assertEquals(1, resumed.exitCode(), resumed.err());
            assertTrue(resumed.err().contains("is in use by pid " + ProcessHandle.current().pid()), resumed.err());
        }
        assertEquals(1, checkpointStep(run));
    }

    @Test
    void resumeOfACopiedOrMovedRunTrainsWhereTheRunIsNow() throws IOException {
        byte[] before = Files.readAllBytes(baseRun.resolve("latest.eseg"));
        Path copy = copyOfBaseRun("elsewhere/copy");

        CliRun r = CliRun.of("train", "--resume", copy.toString(), "--steps", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("moved or copied from " + baseRun), r.err());
        assertEquals(copy.toString(), savedOptions(copy).get("out").asText(), "the checkpoint was written in the copy");
        assertEquals(copy.toString(), JSON.readTree(copy.resolve("train-options.json").toFile()).get("out").asText());
        assertArrayEquals(before, Files.readAllBytes(baseRun.resolve("latest.eseg")), "the original is untouched");
        assertEquals(baseRun.toString(), JSON.readTree(baseRun.resolve("train-options.json").toFile()).get("out").asText());

        Path moved = tmp.resolve("moved");
        Files.move(copy, moved);
        CliRun again = CliRun.of("train", "--resume", moved.toString(), "--steps", "1");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(moved.toString(), savedOptions(moved).get("out").asText());
        assertFalse(Files.exists(copy), "a moved run's old folder is not recreated");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    @Test
    void aDamagedCheckpointIsRefusedNamingTheFileAndTheEntry() throws IOException {
        Path run = copyOfBaseRun("run");
        Path file = run.resolve("latest.eseg");
        flipBytesInside(file, "weights.ndlist");

        CliRun predict = CliRun.of("predict", "--checkpoint", file.toString(), "--out", tmp.resolve("preds").toString(),
                firstImage().toString());
        assertEquals(1, predict.exitCode(), predict.err());
        String[] lines = predict.err().strip().split("\\R");
        assertEquals(1, lines.length, predict.err());
        assertTrue(lines[0].contains(file + ": damaged (checksum mismatch in entry weights.ndlist)"), lines[0]);

        CliRun resume = CliRun.of("train", "--resume", run.toString(), "--steps", "1");
        assertEquals(1, resume.exitCode(), resume.err());
        assertTrue(resume.err().contains(file + ": damaged ("), resume.err());
        assertTrue(Files.exists(file), "a run that did not start leaves the folder as it was");
    }

    private static Path firstImage() throws IOException {
        try (var s = Files.walk(data.resolve("leftImg8bit/val"))) {
            return s.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        }
    }

    /** Flips four bytes in the middle of a zip entry's stored data, as a bad disk sector would. */
    private static void flipBytesInside(Path zip, String entry) throws IOException {
        long size;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            size = z.getEntry(entry).getCompressedSize();
        }
        byte[] all = Files.readAllBytes(zip);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 30 + name.length < all.length; i++) {
            boolean localHeader = all[i] == 0x50 && all[i + 1] == 0x4b && all[i + 2] == 3 && all[i + 3] == 4;
            if (localHeader && u16(all, i + 26) == name.length
                    && Arrays.equals(all, i + 30, i + 30 + name.length, name, 0, name.length)) {
                int middle = i + 30 + name.length + u16(all, i + 28) + (int) (size / 2);
                for (int k = 0; k < 4; k++) {
                    all[middle + k] ^= 0x5a;
                }
                Files.write(zip, all);
                return;
            }
        }
        fail("no entry " + entry + " in " + zip);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    @Test
    void backboneWeightsOfAnotherBackboneAreRefusedBeforeTheRunFolderIsMade() {
        Path weights = tmp.resolve("b0.weights");
        CliRun imported = CliRun.of("import-backbone", "--from", "torchvision", "--in",
                FIXTURES.resolve("torchvision_b0_fp16.safetensors").toString(), "--backbone", "efficientnet-b0",
                "--out", weights.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        for (String[] model : new String[][] {{"eseg-s", "efficientnet-b1"}, {"eseg-lite-s", "fused-efficientnet"}}) {
            Path run = tmp.resolve(model[0]);
            CliRun r = CliRun.of("train", "--model", model[0], "--dataset", "cityscapes", "--data", data.toString(),
                    "--out", run.toString(), "--crop", "64x128", "--batch", "2", "--steps", "2",
                    "--backbone-weights", weights.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains("efficientnet-b0 weights") && r.err().contains(model[0])
                    && r.err().contains(model[1]), r.err());
            assertFalse(Files.exists(run), "no run folder for a run that cannot start");
        }
    }

    @Test
    void oneValuePerChannelForBatchNormIsRefusedUpFrontNamingBatch() throws IOException {
        Path run = tmp.resolve("b1");
        CliRun one = train(run, 2, "--batch", "1");
        assertEquals(2, one.exitCode(), one.err());
        assertTrue(one.err().contains("batch 1 is too small") && one.err().contains("use a batch of 2"), one.err());
        assertFalse(Files.exists(run));

        // Three images over two replicas: one device gets a single image.
        CliRun perDevice = train(run, 2, "--batch", "3", "--devices", "cpu,cpu");
        assertEquals(2, perDevice.exitCode(), perDevice.err());
        assertTrue(perDevice.err().contains("1 image(s) per device on 2 devices")
                && perDevice.err().contains("use a batch of 4"), perDevice.err());
        assertFalse(Files.exists(run));

        // The real condition is values per channel at P9, not the batch: a crop above 512 rows gives P9 2x1.
        Path tall = tmp.resolve("tall");
        trained(tall, 1, "--batch", "1", "--crop", "520x32");
        assertEquals(1, checkpointStep(tall));
    }

    @Test
    void temporaryFilesOfAKilledRunAreRemovedAndReportedOnResume() throws IOException {
        Path run = copyOfBaseRun("run");
        Path checkpointTmp = Files.write(run.resolve(".latest.eseg.8123.tmp"), new byte[1000]);
        Path metricsTmp = Files.write(run.resolve(".metrics.jsonl.77.tmp"), new byte[10]);
        Path users = Files.writeString(run.resolve(".my-notes.tmp"), "keep");

        CliRun r = CliRun.of("train", "--resume", run.toString(), "--steps", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("removed 2 temporary file(s)"), r.err());
        assertTrue(r.err().contains(".latest.eseg.8123.tmp"), r.err());
        assertFalse(Files.exists(checkpointTmp));
        assertFalse(Files.exists(metricsTmp));
        assertTrue(Files.exists(users), "only the run's own temporary files are removed");
        assertEquals(1, checkpointStep(run));
    }

    @Test
    void outputsAreWrittenWithTheUsersUmask() throws IOException {
        Path run = baseRun;
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(Files.createFile(shared.resolve("plain")));
        assumeTrue(expected.contains(PosixFilePermission.GROUP_READ), "needs a umask that lets the group read");
        for (String name : List.of("latest.eseg", "train-options.json", "metrics.jsonl", "curves.png")) {
            assertEquals(expected, Files.getPosixFilePermissions(run.resolve(name)), name);
        }
    }

    @Test
    void aFailedRunRemovesTheFoldersItCreatedButNotAFolderThatExisted() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("no-images"));
        Path created = tmp.resolve("new/nested/run");
        CliRun r = CliRun.of("train", "--dataset", "cityscapes", "--data", empty.toString(), "--out",
                created.toString(), "--crop", "64x128", "--batch", "2", "--steps", "2");
        assertTrue(r.exitCode() != 0, r.err());
        assertTrue(r.err().contains("no-images"), r.err());
        assertFalse(Files.exists(tmp.resolve("new")), "the folders the run created are gone");

        Path existing = Files.createDirectories(tmp.resolve("mine"));
        r = CliRun.of("train", "--dataset", "cityscapes", "--data", empty.toString(), "--out", existing.toString(),
                "--crop", "64x128", "--batch", "2", "--steps", "2");
        assertTrue(r.exitCode() != 0, r.err());
        assertTrue(Files.isDirectory(existing), "a folder the user made stays");
        try (var files = Files.list(existing)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(FolderLock.FILE_NAME)).toList());
        }
    }

    @Test
    void resumeRefusesChangedOptionsAndATotalBelowTheRunsStep() throws IOException {
        Path run = copyOfBaseRun("run");
        byte[] before = Files.readAllBytes(run.resolve("latest.eseg"));

        CliRun lr = CliRun.of("train", "--resume", run.toString(), "--lr", "0.5", "--batch", "4");
        assertEquals(2, lr.exitCode(), lr.err());
        assertTrue(lr.err().contains("--lr, --batch are not accepted with --resume"), lr.err());

        CliRun below = CliRun.of("train", "--resume", run.toString(), "--steps", "0");
        assertEquals(2, below.exitCode(), below.err());
        assertTrue(below.err().contains("already at step 1"), below.err());
        assertArrayEquals(before, Files.readAllBytes(run.resolve("latest.eseg")));

        // The options the help lists as accepted with --resume are exactly those the command accepts.
        String err = lr.err().strip();
        Set<String> allowed = Set.of(err.substring(err.indexOf("only ") + 5, err.indexOf(" may be given")).split(", "));
        String help = CliRun.of("train", "--help").out().replaceAll("\\s+", " ");
        String resumeHelp = help.substring(help.indexOf("--resume=RUN_DIR Continue") + 8,
                help.indexOf("--overwrite Start"));
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("--[a-z][a-z-]*").matcher(resumeHelp);
        while (m.find()) {
            listed.add(m.group());
        }
        assertEquals(new TreeSet<>(allowed), listed, resumeHelp);

        CliRun ok = CliRun.of("train", "--resume", run.toString(), "--steps", "1", "--threads", "1",
                "--max-minutes", "5", "--workers", "2", "--log-every", "1");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals(2, savedOptions(run).get("workers").asInt(), "a runtime setting changed on resume");
        assertEquals(300, savedOptions(run).get("timeLimitSeconds").asLong());
    }
}
