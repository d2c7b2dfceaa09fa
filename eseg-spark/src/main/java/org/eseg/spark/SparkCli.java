package org.eseg.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.eseg.data.DatasetKind;
import org.eseg.data.folder.FolderDataset;
import org.eseg.infer.PredictionWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eseg spark}: prediction, pseudo-labelling and evaluation as Spark jobs, embedded ({@code local[*]}, the
 * default), on a cluster ({@code --master spark://...}) or under {@code spark-submit} (docs/scale.md).
 */
@Command(name = "eseg spark", mixinStandardHelpOptions = true,
        description = "Run predict, pseudo-label or eval as an Apache Spark job (docs/scale.md).",
        subcommands = {SparkCli.Predict.class, SparkCli.PseudoLabel.class, SparkCli.Eval.class})
public final class SparkCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments after {@code spark}
     */
    public static void main(String[] args) {
        // Spark logs at INFO by default; the job prints its own progress, so only warnings and errors are shown.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "eseg-spark-log4j2.properties");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command line with the given console.
     *
     * @param args the arguments after {@code spark}
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0 done, 1 some inputs failed or the job failed, 2 a bad argument
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage().lines().findFirst().orElse("");
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": error: " + msg);
            if ("1".equals(System.getenv("ESEG_DEBUG"))) {
                ex.printStackTrace(c.getErr());
            }
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    /** What every job shares: the model, its runtime and the Spark master. */
    static final class JobOptions {

        @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
                description = "Model file, checkpoint or run folder; every executor must be able to read it.")
        Path checkpoint;

        @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "onnx",
                description = "onnx (ONNX Runtime, default), djl or djl-eager (libtorch).")
        String runtime;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
                description = "Intra-op threads per task (default 0: spark.task.cpus, so tasks never oversubscribe).")
        int threads;

        @Option(names = "--scales", paramLabel = "S,S,...", split = ",",
                description = "Test-time scales (default: the command's).")
        List<Double> scales;

        @Option(names = "--flip", description = "Also run the mirrored image and average (test-time flip).")
        boolean flip;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master (default: spark-submit's, else local[*], embedded).")
        String master;

        @Option(names = "--images-per-task", paramLabel = "N", defaultValue = "0",
                description = "Images per Spark task (default 0: about four tasks per core, at most 64 images).")
        int imagesPerTask;

        @Option(names = "--fail-first-attempt-of-task", hidden = true, defaultValue = "-1",
                description = "Testing only: the first attempt of this task fails after its first image.")
        int failTask;

        ModelSpec model(List<Double> defaultScales) {
            return new ModelSpec(checkpoint.toAbsolutePath().toString(), runtime, threads,
                    scales == null ? defaultScales : scales, flip);
        }

        SparkSession session() {
            SparkSession.Builder b = SparkSession.builder().appName("eseg")
                    .config("spark.ui.showConsoleProgress", "false");
            String m = master != null ? master : System.getProperty("spark.master", "local[*]");
            if (m.startsWith("local")) {
                b.config("spark.ui.enabled", "false");
            } else {
                // Executors of a cluster: one malloc arena per JVM, as the launcher sets for local runs (see eseg).
                b.config("spark.executorEnv.MALLOC_ARENA_MAX",
                        System.getProperty("spark.executorEnv.MALLOC_ARENA_MAX", "1"));
            }
            return b.master(m).getOrCreate();
        }
    }

    private static void printFailures(String what, SparkJobs.Result r, PrintWriter err) {
        for (PredictionWriter.Failure f : r.failures()) {
            err.println("eseg spark " + what + ": cannot process " + f.file() + ": " + f.message());
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Segment a folder of images (local path or hdfs:, s3a:, file: URI); writes what",
                "'eseg predict' writes (<name>_labels.png, <name>_color.png) and OUT/manifest.parquet."})
    static final class Predict implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JobOptions job;

        @Parameters(paramLabel = "INPUT", description = "Folder of images.")
        String images;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder, new or empty.")
        String out;

        @Option(names = "--overlay", description = "Also write the colour mask blended over the photo.")
        boolean overlay;

        @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.5",
                description = "Mask weight in the overlay, 0..1 (default ${DEFAULT-VALUE}).")
        double alpha;

        @Override
        public Integer call() throws IOException {
            ModelSpec model = job.model(List.of(1.0));
            PrintWriter err = spec.commandLine().getErr();
            SparkSession spark = job.session();
            try {
                SparkJobs.Result r = SparkJobs.predict(spark, model,
                        new SparkJobs.Job(images, out, job.imagesPerTask, job.failTask), overlay ? alpha : null, err);
                printFailures("predict", r, err);
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "wrote predictions for %d of %d images to %s in %.1f s (%.2f images/s)%n", r.written(),
                        r.images(), out, r.seconds(), r.images() / r.seconds());
                return r.failures().isEmpty() ? 0 : 1;
            } finally {
                spark.stop();
                ExecutorModels.closeAll();
            }
        }
    }

    @Command(name = "pseudo-label", mixinStandardHelpOptions = true,
            description = {"Label unlabelled images with a teacher for self-training (default scales 0.5,1.0,2.0);",
                "writes the folder dataset 'eseg pseudo-label' writes (images/, masks/, classes.txt, summary.json",
                "last) and OUT/manifest.parquet. Unreadable images are recorded and skipped; the exit code is then 1."})
    static final class PseudoLabel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JobOptions job;

        @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of unlabelled images.")
        String images;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder, new or empty.")
        String out;

        @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
                description = "Keep pixels whose confidence is at least P, 0..1 (default ${DEFAULT-VALUE}).")
        double threshold;

        @Override
        public Integer call() throws IOException {
            ModelSpec model = job.model(List.of(0.5, 1.0, 2.0));
            PrintWriter err = spec.commandLine().getErr();
            SparkSession spark = job.session();
            try {
                SparkJobs.Result r = SparkJobs.pseudoLabel(spark, model,
                        new SparkJobs.Job(images, out, job.imagesPerTask, job.failTask), threshold, err);
                printFailures("pseudo-label", r, err);
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "labelled %d of %d images in %.1f s (%.2f images/s); wrote %s (images/, masks/, classes.txt, "
                                + "summary.json, manifest.parquet)%n",
                        r.written(), r.images(), r.seconds(), r.images() / r.seconds(), out);
                return r.failures().isEmpty() ? 0 : 1;
            } finally {
                spark.stop();
                ExecutorModels.closeAll();
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate a checkpoint on a labelled split in a folder every executor can read; sums the",
                "tasks' confusion matrices and writes the report 'eseg eval' writes."})
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JobOptions job;

        @Option(names = "--dataset", required = true, paramLabel = "KIND",
                description = "cityscapes, ade20k or folder.")
        DatasetKind kind;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root folder.")
        Path data;

        @Option(names = "--split", paramLabel = "S", description = "Split (default: the dataset's validation split).")
        String split;

        @Option(names = "--classes", paramLabel = "FILE", description = "Class list of a folder dataset.")
        Path classes;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "eval",
                description = "Report folder (default eval).")
        Path out;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N images.")
        int limit;

        @Option(names = "--skip-bad", description = "Leave out pairs that cannot be read; counted and named.")
        boolean skipBad;

        @Override
        public Integer call() throws IOException {
            ModelSpec model = job.model(List.of(1.0));
            if (!Files.isDirectory(data)) {
                throw new IllegalArgumentException("--data " + data + " is not a folder");
            }
            String s = split != null ? split
                    : kind == DatasetKind.FOLDER
                            ? (Files.isDirectory(data.resolve(FolderDataset.IMAGES_DIR).resolve("val")) ? "val" : null)
                            : kind.validationSplit();
            EvalTask.DatasetSpec d = new EvalTask.DatasetSpec(kind, data.toAbsolutePath().toString(), s,
                    classes == null ? null : classes.toAbsolutePath().toString(), skipBad);
            PrintWriter err = spec.commandLine().getErr();
            SparkSession spark = job.session();
            try {
                SparkEval.Result r = SparkEval.evaluate(spark, model, d, limit, job.imagesPerTask, err);
                for (String skipped : r.skipped()) {
                    err.println("eseg spark eval: skipped " + skipped);
                }
                Files.createDirectories(out);
                Map<String, Object> about = new LinkedHashMap<>();
                about.put("checkpoint", job.checkpoint.toString());
                about.put("dataset", kind.name().toLowerCase(Locale.ROOT));
                about.put("split", s);
                about.put("runtime", job.runtime);
                about.put("scales", model.scales());
                about.put("flip", model.flip());
                about.put("mode", "whole");
                about.put("out", out.toString());
                SparkEval.writeReport(r, d.open().classes().names(), out, about, spec.commandLine().getOut());
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "evaluated %d images (runtime %s); wrote metrics and the confusion matrix to %s%n",
                        r.images(), job.runtime, out);
                return 0;
            } finally {
                spark.stop();
                ExecutorModels.closeAll();
            }
        }
    }
}
