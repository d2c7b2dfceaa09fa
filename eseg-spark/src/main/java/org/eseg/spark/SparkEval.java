package org.eseg.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.eseg.data.DataException;
import org.eseg.data.Dataset;
import org.eseg.eval.ConfusionHeatMap;
import org.eseg.eval.ConfusionMatrix;
import org.eseg.eval.MetricsTable;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.util.AtomicFiles;

/**
 * The driver's side of {@code eseg spark eval}: cuts the dataset into slices, sums the tasks' confusion matrices
 * and writes the report {@code eseg eval} writes (metrics.txt, metrics.json, confusion.csv, confusion.png) to a
 * folder on the driver's disk.
 */
final class SparkEval {

    private SparkEval() {}

    /**
     * What an evaluation saw.
     *
     * @param confusion the summed confusion matrix
     * @param images images evaluated
     * @param skipped images left out, each with the reason
     */
    record Result(ConfusionMatrix confusion, int images, List<String> skipped) {}

    /**
     * Evaluates a model on a dataset.
     *
     * @param spark the session
     * @param spec the model
     * @param data the dataset, in a folder every executor can read
     * @param limit evaluate only the first so many images (0: all)
     * @param imagesPerTask images per task, or 0 to choose
     * @param err progress
     * @return the summed confusion matrix
     */
    static Result evaluate(SparkSession spark, ModelSpec spec, EvalTask.DatasetSpec data, int limit,
            int imagesPerTask, PrintWriter err) {
        Dataset dataset = data.open();
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " has no images");
        }
        int n = limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
        if (dataset.classes().size() != ExecutorModels.forTask(spec, 1).classes().size()) {
            throw new IllegalArgumentException("the model predicts " + ExecutorModels.forTask(spec, 1).classes().size()
                    + " classes, the dataset " + dataset.name() + " has " + dataset.classes().size());
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<int[]> ranges = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (List<Integer> t : SparkJobs.tasks(indices, imagesPerTask, jsc.defaultParallelism())) {
            ranges.add(new int[] {t.get(0), t.get(t.size() - 1) + 1});
            sizes.add(t.size());
        }
        ProgressListener progress = new ProgressListener("eval", sizes, err);
        spark.sparkContext().addSparkListener(progress);
        List<EvalTask.Part> parts;
        try {
            parts = jsc.parallelize(ranges, ranges.size()).mapPartitions(new EvalTask(spec, data)).collect();
        } finally {
            progress.stop();
            spark.sparkContext().removeSparkListener(progress);
        }
        ConfusionMatrix cm = new ConfusionMatrix(dataset.classes().size());
        int images = 0;
        List<String> skipped = new ArrayList<>();
        for (EvalTask.Part p : parts) {
            cm.merge(ConfusionMatrix.of(p.confusion()));
            images += p.images();
            skipped.addAll(p.skipped());
        }
        if (images == 0) {
            throw new DataException(Path.of(data.root()), "no image of " + dataset.name() + " could be evaluated");
        }
        return new Result(cm, images, skipped);
    }

    /**
     * Writes the report of {@code eseg eval}.
     *
     * @param r the evaluation
     * @param names the dataset's class names
     * @param out the report folder
     * @param about extra fields of metrics.json (checkpoint, dataset, runtime, ...)
     * @param stdout where the table is printed
     * @throws IOException if a file cannot be written
     */
    static void writeReport(Result r, List<String> names, Path out, Map<String, Object> about, PrintWriter stdout)
            throws IOException {
        SegmentationMetrics m = r.confusion().metrics();
        String table = MetricsTable.format(m, names);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("miou", finite(m.meanIou()));
        j.put("pixel_accuracy", finite(m.pixelAccuracy()));
        j.put("mean_class_accuracy", finite(m.meanClassAccuracy()));
        j.put("per_class_iou", perClass(m.classIou(), names));
        j.put("per_class_accuracy", perClass(m.classAccuracy(), names));
        j.put("images", r.images());
        j.put("valid_pixels", m.validPixels());
        j.putAll(about);
        j.put("skipped", r.skipped().size());
        AtomicFiles.writeString(out.resolve("metrics.txt"), table);
        AtomicFiles.writeString(out.resolve("metrics.json"), new ObjectMapper().writeValueAsString(j) + "\n");
        r.confusion().writeCsv(out.resolve("confusion.csv"), names);
        ConfusionHeatMap.writePng(out.resolve("confusion.png"), r.confusion(), names);
        stdout.print(table);
    }

    private static Map<String, Double> perClass(double[] values, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < values.length; c++) {
            out.put(names.get(c), finite(values[c]));
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
