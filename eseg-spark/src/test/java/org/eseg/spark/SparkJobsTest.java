package org.eseg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eseg.data.Dataset;
import org.eseg.data.DatasetKind;
import org.eseg.data.PairedDataset;
import org.eseg.data.folder.PseudoLabelFolder;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthOptions;
import org.eseg.eval.ConfusionMatrix;
import org.eseg.eval.Evaluator;
import org.eseg.eval.MetricsTable;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.PseudoLabeler;
import org.eseg.infer.Segmenter;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs against the single-machine library calls the {@code eseg} commands make, on a tiny synthetic set
 * and an untrained ESeg-Lite-S, in an embedded {@code local[2,2]} session (two cores, a task may fail once).
 */
class SparkJobsTest {

    @TempDir
    static Path shared;

    static SparkSession spark;
    static Path model;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = shared.resolve("synth");
        SynthGenerator.generate(data, SynthOptions.builder().size(64, 128).train(6).val(5).seed(7).threads(1).build());
        model = shared.resolve("lite.eseg");
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel lite = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(19));
            lite.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            ModelFile.save(lite, model);
        }
        spark = SparkSession.builder().master("local[2,2]").appName("eseg-test")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorModels.closeAll();
    }

    private static ModelSpec spec(List<Double> scales, boolean flip) {
        return new ModelSpec(model.toString(), "onnx", 1, scales, flip);
    }

    private static Segmenter single(ModelSpec spec) throws Exception {
        return spec.open(1);
    }

    @Test
    void pseudoLabelsAreByteIdenticalToTheSingleMachineLabellerAndABrokenImageIsInTheManifest() throws Exception {
        Path images = shared.resolve("unlabelled");
        copyTree(data.resolve("leftImg8bit/train"), images);
        Files.writeString(images.resolve("broken.png"), "not a png");
        ModelSpec spec = spec(List.of(0.5, 1.0), true);
        Path want = shared.resolve("pseudo-single");
        double threshold;
        try (Segmenter teacher = single(spec)) {
            // The median confidence of one image: the untrained model is unsure, so the paper's 0.5 would keep nothing.
            Path first = PseudoLabeler.listImages(images).get(1);
            float[] confidence = teacher.segment(ImageFiles.readRgb(first), spec.options()).confidence();
            java.util.Arrays.sort(confidence);
            threshold = confidence[confidence.length / 2];
            PseudoLabeler.Summary s = new PseudoLabeler(teacher, spec.options(), threshold, want)
                    .run(PseudoLabeler.listImages(images), null);
            assertEquals(6, s.images());
            assertTrue(s.kept() > 0 && s.kept() < s.pixels(), "the threshold keeps some pixels, not all");
        }
        Path got = shared.resolve("pseudo-spark");
        SparkJobs.Result r = SparkJobs.pseudoLabel(spark, spec, new SparkJobs.Job(images.toString(), got.toString(), 2,
                -1), threshold, new PrintWriter(new StringWriter()));
        assertEquals(7, r.images());
        assertEquals(6, r.written());

        Map<String, byte[]> expected = files(want);
        Map<String, byte[]> actual = files(got);
        actual.keySet().removeIf(k -> k.startsWith(Manifest.FOLDER + "/"));
        assertEquals(expected.keySet(), actual.keySet());
        assertEquals(6 + 6 + 2, expected.size(), "masks, images, classes.txt and summary.json");
        for (String f : expected.keySet()) {
            assertArrayEquals(expected.get(f), actual.get(f), f);
        }
        assertEquals(6, PseudoLabelFolder.open(got, false).size());

        List<Row> rows = spark.read().parquet(got.resolve(Manifest.FOLDER).toString()).orderBy("path").collectAsList();
        assertEquals(7, rows.size());
        Row broken = rows.get(0);
        assertTrue(broken.getString(0).endsWith("broken.png"), broken.getString(0));
        assertEquals(Manifest.FAILED, broken.getString(2));
        assertFalse(broken.isNullAt(3), "the error is recorded");
        Row ok = rows.get(1);
        assertEquals(Manifest.OK, ok.getString(2));
        assertNull(ok.get(3));
        assertEquals(64L * 128, ok.getLong(4));
        assertEquals(64L * 128, ok.<Long>getList(5).stream().mapToLong(Long::longValue).sum());
        assertTrue(ok.getDouble(8) > 0 && ok.getDouble(8) <= 1, "mean confidence");
    }

    @Test
    void aTaskWhoseFirstAttemptFailsIsRetriedAndEveryOutputIsWrittenOnce() throws Exception {
        Path images = data.resolve("leftImg8bit/val");
        ModelSpec spec = spec(List.of(1.0), false);
        Path want = shared.resolve("predict-single");
        try (Segmenter segmenter = single(spec)) {
            PredictionWriter w = new PredictionWriter(segmenter, spec.options(), want, null);
            assertTrue(w.run(PredictionWriter.plan(List.of(images), want), null).failures().isEmpty());
        }
        AtomicInteger failedTasks = new AtomicInteger();
        SparkListener failures = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    failedTasks.incrementAndGet();
                }
            }
        };
        Path got = shared.resolve("predict-spark");
        spark.sparkContext().addSparkListener(failures);
        StringWriter progress = new StringWriter();
        SparkJobs.Result r;
        try {
            r = SparkJobs.predict(spark, spec, new SparkJobs.Job(images.toString(), got.toString(), 3, 0), null,
                    new PrintWriter(progress));
        } finally {
            spark.sparkContext().removeSparkListener(failures);
        }
        assertEquals(1, failedTasks.get(), "the injected failure");
        assertEquals(5, r.written());
        assertTrue(progress.toString().contains("5/5 images, 2/2 tasks"), progress.toString());
        Map<String, byte[]> expected = files(want);
        Map<String, byte[]> actual = files(got);
        actual.keySet().removeIf(k -> k.startsWith(Manifest.FOLDER + "/"));
        assertEquals(10, expected.size());
        assertEquals(expected.keySet(), actual.keySet(), "each output once, nothing temporary left");
        for (String f : expected.keySet()) {
            assertArrayEquals(expected.get(f), actual.get(f), f);
        }
        assertEquals(5, spark.read().parquet(got.resolve(Manifest.FOLDER).toString()).count());
    }

    @Test
    void evalSumsTheTasksConfusionMatricesToTheSingleMachineResult() throws Exception {
        ModelSpec spec = spec(List.of(1.0), false);
        Dataset dataset = DatasetKind.CITYSCAPES.open(data, "val", null, false);
        ConfusionMatrix want;
        try (Segmenter segmenter = single(spec)) {
            want = Evaluator.evaluate(segmenter, dataset, 0, spec.options(), false, null).confusion();
        }
        EvalTask.DatasetSpec d = new EvalTask.DatasetSpec(DatasetKind.CITYSCAPES, data.toString(), "val", null, false);
        SparkEval.Result r = SparkEval.evaluate(spark, spec, d, 0, 2, new PrintWriter(new StringWriter()));
        assertEquals(5, r.images());
        assertArrayEquals(want.toArray(), r.confusion().toArray());
        assertEquals(want.metrics().meanIou(), r.confusion().metrics().meanIou());
        Path out = shared.resolve("eval");
        Files.createDirectories(out);
        SparkEval.writeReport(r, dataset.classes().names(), out, Map.of(), new PrintWriter(new StringWriter()));
        assertEquals(MetricsTable.format(want.metrics(), dataset.classes().names()),
                Files.readString(out.resolve("metrics.txt")));
        assertTrue(dataset instanceof PairedDataset);
    }

    @Test
    void tasksAreCutByImageCount() {
        List<Integer> ten = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9)), SparkJobs.tasks(ten, 4, 2));
        assertEquals(5, SparkJobs.tasks(ten, 0, 2).size(), "about four tasks per core, at least one image each");
        assertEquals(16, SparkJobs.tasks(new ArrayList<>(java.util.Collections.nCopies(1000, 0)), 0, 1).size(),
                "at most 64 images a task");
    }

    /** Every file under a folder by its relative path, with its bytes. */
    private static Map<String, byte[]> files(Path root) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
