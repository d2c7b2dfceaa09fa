package org.eseg.spark;

import ai.djl.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.SerializableConfiguration;
import org.eseg.data.DataException;
import org.eseg.data.folder.FolderDataset;
import org.eseg.data.io.ImageFiles;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.PseudoLabeler;
import org.eseg.infer.Segmentation;
import org.eseg.infer.Segmenter;

/**
 * One Spark task of {@code predict} or {@code pseudo-label}: segments its images with the executor's shared model,
 * writes each image's files with the single-machine library calls into a local staging folder, commits them into
 * the output folder once ({@link TaskOutputs}) and returns one {@link Manifest} row per image. An image that
 * cannot be read or segmented becomes a failed row and the task goes on; a failure to write an output fails the
 * task, which Spark retries.
 */
final class ImageTask implements FlatMapFunction<Iterator<List<ImageInputs.Input>>, Row> {

    private static final long serialVersionUID = 1L;

    /** What the task writes. */
    enum Kind { PREDICT, PSEUDO_LABEL }

    private final Kind kind;
    private final ModelSpec spec;
    private final String out;
    private final double threshold;
    private final Double overlayAlpha;
    private final int failFirstAttemptOf;
    private final SerializableConfiguration conf;

    /**
     * A task.
     *
     * @param kind predictions or pseudo-labels
     * @param spec the model
     * @param out the output folder (Hadoop URI)
     * @param threshold the pseudo-label confidence threshold
     * @param overlayAlpha overlay mask weight for predictions, or null for none
     * @param failFirstAttemptOf for tests: the partition whose first attempt fails after its first image, or -1
     * @param conf the Hadoop configuration
     */
    ImageTask(Kind kind, ModelSpec spec, String out, double threshold, Double overlayAlpha, int failFirstAttemptOf,
            SerializableConfiguration conf) {
        this.kind = kind;
        this.spec = spec;
        this.out = out;
        this.threshold = threshold;
        this.overlayAlpha = overlayAlpha;
        this.failFirstAttemptOf = failFirstAttemptOf;
        this.conf = conf;
    }

    @Override
    public Iterator<Row> call(Iterator<List<ImageInputs.Input>> partition) throws Exception {
        TaskContext task = TaskContext.get();
        List<ImageInputs.Input> inputs = new ArrayList<>();
        partition.forEachRemaining(inputs::addAll);
        return LargeStack.call(() -> rows(task, inputs)).iterator();
    }

    private List<Row> rows(TaskContext task, List<ImageInputs.Input> inputs) throws IOException {
        String attempt = "stage-" + task.stageId() + "-task-" + task.partitionId() + "-attempt-" + task.attemptNumber()
                + "-" + task.taskAttemptId();
        TaskOutputs outputs = new TaskOutputs(new Path(out), attempt, conf.value());
        Segmenter segmenter = ExecutorModels.forTask(spec, task.cpus());
        java.nio.file.Path stage = Files.createTempDirectory("eseg-task");
        List<Row> rows = new ArrayList<>();
        try {
            for (ImageInputs.Input in : inputs) {
                rows.add(process(in, segmenter, outputs, stage));
                if (task.partitionId() == failFirstAttemptOf && task.attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure of the first attempt of task "
                            + task.partitionId() + " (a test option)");
                }
            }
        } finally {
            deleteTree(stage);
        }
        return rows;
    }

    private Row process(ImageInputs.Input in, Segmenter segmenter, TaskOutputs outputs, java.nio.file.Path stage)
            throws IOException {
        Path source = new Path(in.uri());
        java.nio.file.Path file = null;
        try {
            file = local(source, stage);
            if (kind == Kind.PSEUDO_LABEL) {
                Segmentation s = segmenter.segment(ImageFiles.readRgb(file), spec.options());
                byte[] labels = PseudoLabeler.threshold(s, (float) threshold);
                java.nio.file.Path mask = stage.resolve("mask.png");
                ImageFiles.writeGrayPng(mask, s.height(), s.width(), labels);
                outputs.commitLocal(mask, FolderDataset.MASKS_DIR + "/" + in.name() + ".png");
                outputs.commitCopy(source, FolderDataset.IMAGES_DIR + "/" + source.getName());
                return Manifest.ok(in, s, labels, segmenter.classes().size());
            }
            java.nio.file.Path written = stage.resolve("written");
            PredictionWriter writer = new PredictionWriter(segmenter, spec.options(), written, overlayAlpha);
            Segmentation s = writer.write(new PredictionWriter.Input(file, "image"));
            for (String suffix : List.of("labels", "color", "overlay")) {
                java.nio.file.Path f = written.resolve("image_" + suffix + ".png");
                if (Files.exists(f)) {
                    outputs.commitLocal(f, in.name() + "_" + suffix + ".png");
                }
            }
            return Manifest.ok(in, s, null, segmenter.classes().size());
        } catch (DataException | EngineException | OutOfMemoryError e) {
            return Manifest.failed(in, PredictionWriter.Failure.of(java.nio.file.Path.of(in.uri()), e).message());
        } finally {
            if (file != null && file.startsWith(stage)) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The image on this machine's disk: itself when local, else a copy in the staging folder. */
    private java.nio.file.Path local(Path source, java.nio.file.Path stage) throws IOException {
        FileSystem fs = TaskOutputs.fileSystem(source, conf.value());
        if ("file".equals(fs.getUri().getScheme())) {
            return java.nio.file.Path.of(source.toUri());
        }
        java.nio.file.Path copy = stage.resolve("input").resolve(source.getName());
        Files.createDirectories(copy.getParent());
        try {
            fs.copyToLocalFile(false, source, new Path(copy.toUri()), true);
        } catch (IOException e) {
            throw new DataException(java.nio.file.Path.of(source.getName()), "cannot read: " + e.getMessage());
        }
        return copy;
    }

    private static void deleteTree(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.walk(dir)) {
            for (java.nio.file.Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
