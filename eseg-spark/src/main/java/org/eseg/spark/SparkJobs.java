package org.eseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.eseg.data.ClassInfo;
import org.eseg.data.folder.FolderDataset;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.PseudoLabeler;
import org.eseg.infer.Segmenter;

/**
 * The driver's side of {@code eseg spark predict} and {@code pseudo-label}: lists the images, cuts them into tasks
 * of a few images each, runs {@link ImageTask} over them while {@link ProgressListener} reports, writes the
 * {@link Manifest} and, for pseudo-labels, the folder dataset's {@code classes.txt} and {@code summary.json} (last,
 * as the single-machine command does).
 */
final class SparkJobs {

    private SparkJobs() {}

    /**
     * What a job is asked to do besides its model.
     *
     * @param images the input folder (local path or Hadoop URI)
     * @param out the output folder (local path or Hadoop URI), empty or new
     * @param imagesPerTask images per task, or 0 to choose (about four tasks per core, at most 64 images each)
     * @param failFirstAttemptOf for tests: the task whose first attempt fails after one image, or -1
     */
    record Job(String images, String out, int imagesPerTask, int failFirstAttemptOf) {}

    /**
     * What an image job did.
     *
     * @param images inputs
     * @param written images segmented and written
     * @param failures inputs that could not be read or segmented
     * @param seconds wall time of the Spark job
     */
    record Result(int images, int written, List<PredictionWriter.Failure> failures, double seconds) {}

    /**
     * Writes label and colour PNGs for every image, as {@code eseg predict} names them.
     *
     * @param spark the session
     * @param spec the model
     * @param job inputs and outputs
     * @param overlayAlpha overlay mask weight, or null for no overlay
     * @param err progress and failures
     * @return what was done
     * @throws IOException if the inputs cannot be listed or the outputs written
     */
    static Result predict(SparkSession spark, ModelSpec spec, Job job, Double overlayAlpha, PrintWriter err)
            throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path out = checkNew(job.out(), conf);
        List<ImageInputs.Input> inputs = ImageInputs.forPredictions(job.images(), job.out(), conf);
        ImageTask task = new ImageTask(ImageTask.Kind.PREDICT, spec, out.toString(), 0, overlayAlpha,
                job.failFirstAttemptOf(), new SerializableConfiguration(conf));
        return run(spark, "predict", inputs, task, out, job.imagesPerTask(), err);
    }

    /**
     * Labels every image for self-training and writes the folder dataset {@code eseg pseudo-label} writes:
     * {@code images/}, {@code masks/}, {@code classes.txt} and {@code summary.json}.
     *
     * @param spark the session
     * @param spec the teacher
     * @param job inputs and outputs
     * @param threshold confidence threshold in [0, 1]
     * @param err progress and failures
     * @return what was done
     * @throws IOException if the inputs cannot be listed or the outputs written
     */
    static Result pseudoLabel(SparkSession spark, ModelSpec spec, Job job, double threshold, PrintWriter err)
            throws IOException {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path out = checkNew(job.out(), conf);
        List<ImageInputs.Input> inputs = ImageInputs.forPseudoLabels(job.images(), conf);
        ImageTask task = new ImageTask(ImageTask.Kind.PSEUDO_LABEL, spec, out.toString(), threshold, null,
                job.failFirstAttemptOf(), new SerializableConfiguration(conf));
        Result r = run(spark, "pseudo-label", inputs, task, out, job.imagesPerTask(), err);
        writeSummary(spark, spec, out, threshold, r, conf);
        return r;
    }

    private static Result run(SparkSession spark, String what, List<ImageInputs.Input> inputs, ImageTask task,
            Path out, int imagesPerTask, PrintWriter err) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<List<ImageInputs.Input>> tasks = tasks(inputs, imagesPerTask, jsc.defaultParallelism());
        ProgressListener progress = new ProgressListener(what, tasks.stream().map(List::size).toList(), err);
        JavaRDD<Row> rows = jsc.parallelize(tasks, tasks.size()).mapPartitions(task);
        String manifest = new Path(out, Manifest.FOLDER).toString();
        long start = System.nanoTime();
        spark.sparkContext().addSparkListener(progress);
        try {
            spark.createDataFrame(rows, Manifest.SCHEMA).write().parquet(manifest);
        } finally {
            progress.stop();
            spark.sparkContext().removeSparkListener(progress);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TaskOutputs.fileSystem(out, spark.sparkContext().hadoopConfiguration())
                .delete(new Path(out, TaskOutputs.TEMPORARY), true);
        List<PredictionWriter.Failure> failures = new ArrayList<>();
        for (Row f : spark.read().parquet(manifest).where("status = '" + Manifest.FAILED + "'")
                .select("path", "error").orderBy("path").collectAsList()) {
            failures.add(new PredictionWriter.Failure(java.nio.file.Path.of(f.getString(0)), f.getString(1)));
        }
        return new Result(inputs.size(), inputs.size() - failures.size(), failures, seconds);
    }

    /** Sums the manifest's counts and writes classes.txt, then summary.json, as the single-machine labeller. */
    private static void writeSummary(SparkSession spark, ModelSpec spec, Path out, double threshold, Result r,
            Configuration conf) throws IOException {
        Segmenter teacher = ExecutorModels.forTask(spec, 1);
        ClassInfo classes = teacher.classes();
        int n = classes.size();
        long[] sums = spark.read().parquet(new Path(out, Manifest.FOLDER).toString())
                .where("status = '" + Manifest.OK + "'").select("pixels", "class_pixels", "class_kept")
                .javaRDD().map(row -> {
                    long[] v = new long[2 * n + 1];
                    v[0] = row.getLong(0);
                    List<Long> predicted = row.getList(1);
                    List<Long> kept = row.getList(2);
                    for (int c = 0; c < n; c++) {
                        v[1 + c] = predicted.get(c);
                        v[1 + n + c] = kept.get(c);
                    }
                    return v;
                }).fold(new long[2 * n + 1], SparkJobs::add);
        List<PseudoLabeler.ClassCount> counts = new ArrayList<>();
        long kept = 0;
        for (int c = 0; c < n; c++) {
            counts.add(new PseudoLabeler.ClassCount(classes.name(c), sums[1 + c], sums[1 + n + c]));
            kept += sums[1 + n + c];
        }
        PseudoLabeler.Summary summary = new PseudoLabeler.Summary(r.written(), sums[0], kept, counts, r.failures());
        java.nio.file.Path local = Files.createTempDirectory("eseg-summary");
        try {
            PseudoLabeler labeler = new PseudoLabeler(teacher, spec.options(), threshold, local);
            PseudoLabeler.writeClasses(local.resolve(FolderDataset.CLASSES_FILE), classes);
            Files.writeString(local.resolve(PseudoLabeler.SUMMARY_FILE), labeler.summaryJson(summary));
            TaskOutputs driver = new TaskOutputs(out, "driver", conf);
            driver.commitLocal(local.resolve(FolderDataset.CLASSES_FILE), FolderDataset.CLASSES_FILE);
            driver.commitLocal(local.resolve(PseudoLabeler.SUMMARY_FILE), PseudoLabeler.SUMMARY_FILE);
            TaskOutputs.fileSystem(out, conf).delete(new Path(out, TaskOutputs.TEMPORARY), true);
        } finally {
            for (String f : List.of(FolderDataset.IMAGES_DIR, FolderDataset.MASKS_DIR, "")) {
                Files.deleteIfExists(local.resolve(f));
            }
        }
    }

    private static long[] add(long[] a, long[] b) {
        long[] s = new long[a.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /**
     * Cuts the inputs into tasks of consecutive images.
     *
     * @param inputs the images
     * @param imagesPerTask images per task, or 0 for about four tasks per core and at most 64 images each
     * @param cores the cores of the cluster ({@code defaultParallelism})
     * @return the tasks
     */
    static <T> List<List<T>> tasks(List<T> inputs, int imagesPerTask, int cores) {
        if (imagesPerTask < 0) {
            throw new IllegalArgumentException("images per task must be at least 0, got " + imagesPerTask);
        }
        int per = imagesPerTask > 0 ? imagesPerTask
                : Math.max(1, Math.min(64, (int) Math.ceil(inputs.size() / (4.0 * Math.max(1, cores)))));
        List<List<T>> tasks = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i += per) {
            tasks.add(new ArrayList<>(inputs.subList(i, Math.min(inputs.size(), i + per))));
        }
        return tasks;
    }

    /** The output folder as a Hadoop path, refused unless it is new or empty (an earlier run's files stay). */
    static Path checkNew(String out, Configuration conf) throws IOException {
        Path path = TaskOutputs.path(out);
        FileSystem fs = TaskOutputs.fileSystem(path, conf);
        if (fs.exists(path)) {
            if (!fs.getFileStatus(path).isDirectory()) {
                throw new IllegalArgumentException("output " + out + " is a file, not a folder");
            }
            FileStatus[] entries = fs.listStatus(path);
            if (entries.length > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "output folder %s is not empty (%d entries, e.g. %s); choose a new folder", out,
                        entries.length, entries[0].getPath().getName()));
            }
        }
        fs.mkdirs(path);
        return fs.makeQualified(path);
    }
}
