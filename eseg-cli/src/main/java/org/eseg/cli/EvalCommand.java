package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.DatasetKind;
import org.eseg.data.folder.FolderDataset;
import org.eseg.data.io.PixelLimit;
import org.eseg.eval.ConfusionHeatMap;
import org.eseg.eval.ConfusionMatrix;
import org.eseg.eval.Evaluator;
import org.eseg.eval.LabelAgreement;
import org.eseg.eval.MetricsTable;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.Segmenter;
import org.eseg.infer.runtime.Precision;
import org.eseg.util.AtomicFiles;
import org.eseg.util.CreatedFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg eval}: IoU per class, mIoU, accuracies and the confusion matrix of a checkpoint on a dataset. */
@Command(name = "eval",
        description = {
            "Evaluate a checkpoint on a labelled split: per-class IoU and accuracy, mIoU, pixel accuracy and mean",
            "class accuracy (pixels labelled 255 are not counted; classes neither labelled nor predicted are nan",
            "and left out of the means). Writes to the output folder: metrics.txt (the tables), metrics.json,",
            "confusion.csv (rows: labels, columns: predictions) and confusion.png (row-normalised heat map).",
            "The default is the paper's protocol: whole images, one scale, no flip.",
        },
        footer = {"", "Examples:",
            "  eseg eval --checkpoint runs/city --dataset cityscapes --data data/cityscapes --out eval/city",
            "  eseg eval --checkpoint runs/city --dataset cityscapes --data data/cityscapes --scales 0.5,1.0,2.0 --flip",
            "  eseg eval --checkpoint runs/ade --dataset ade20k --data data/ADEChallengeData2016 --json",
            "  eseg eval --checkpoint runs/big --dataset folder --data my-data --mode slide --window 1024x1024 --stride 768x768"})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SegmenterMixin model;

    @Option(names = "--dataset", required = true, paramLabel = "KIND", description = DatasetKind.CHOICES + ".")
    DatasetKind kind;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root folder.")
    Path data;

    @Option(names = "--split", paramLabel = "S",
            description = "Split (default: val; ade20k: validation; folder: val if DIR/images/val exists, else none).")
    String split;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class list of a folder dataset (default DIR/classes.txt).")
    Path classesFile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "eval",
            description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate only the first N images (default 0: all).")
    int limit;

    @Option(names = "--skip-bad", description = {"Leave out image/mask pairs with listing problems, files that cannot",
        "be read (damaged, above --max-pixels) and images that do not fit in memory; counted and named."})
    boolean skipBad;

    @Option(names = "--agreement", description = {"With --precision bf16 or int8: also run the model in fp32 on the",
        "same runtime and report the fraction of pixels whose label both agree on."})
    boolean agreement;

    @Mixin
    Json json;

    @Override
    @SuppressWarnings("try") // the resources' work is their closing
    public Integer call() throws IOException {
        InferenceOptions options = model.inference.get(List.of(1.0));
        if (agreement && model.engine.precision.get() == Precision.FP32) {
            throw new IllegalArgumentException("--agreement compares --precision bf16 or int8 with fp32; "
                    + "the precision is fp32 already");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be at least 0, got " + limit);
        }
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + " is not a folder");
        }
        try (PixelLimit.Restore pixelLimit = model.pixels.apply(); CreatedFolders created = CreatedFolders.forOutput(out)) {
            return evaluate(options);
        }
    }

    private int evaluate(InferenceOptions options) throws IOException {
        String s = split != null ? split : defaultSplit();
        Dataset dataset = kind.open(data, s, classesFile, skipBad);
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " has no images");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!dataset.skipped().isEmpty()) {
            err.println("eseg eval: skipped " + dataset.skipped().size() + " pairs with problems");
        }
        List<String> names = dataset.classes().names();
        int n = limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
        Evaluator.Evaluation ev;
        double agree;
        try (Segmenter segmenter = model.open()) {
            if (!segmenter.classes().names().equals(names)
                    && segmenter.classes().size() == names.size()) {
                err.println("eseg eval: warning: the checkpoint's class names differ from the dataset's; "
                        + "scoring by index and reporting the dataset's names");
            }
            try (ProgressBars.Bar bar = ProgressBars.start("eval", n, err)) {
                ev = Evaluator.evaluate(segmenter, dataset, n, options, skipBad, bar::stepTo);
            }
            agree = agreement ? agreementWithFp32(segmenter, dataset, n, options, err) : Double.NaN;
        }
        if (!ev.skipped().isEmpty()) {
            err.println("eseg eval: skipped " + ev.skipped().size() + " of " + n + " images that could not be read "
                    + "or segmented: " + String.join("; ", ev.skipped().stream().map(DataProblem::toString).toList()));
        }
        if (ev.images() == 0) {
            throw new DataException(data, "no image of " + dataset.name() + " could be evaluated");
        }
        ConfusionMatrix cm = ev.confusion();
        SegmentationMetrics m = cm.metrics();
        String table = MetricsTable.format(m, names);
        Map<String, Object> summary = summary(m, names, ev.images(), s, options);
        summary.put("skipped", ev.skipped().size());
        summary.put("precision", model.engine.precision.get().label());
        if (agreement) {
            summary.put("agreement_with_fp32", agree);
            table += String.format(Locale.ROOT, "argmax agreement with fp32: %.4f%% of pixels%n", 100 * agree);
        }
        String jsonLine = Json.line(summary);
        AtomicFiles.writeString(out.resolve("metrics.txt"), table);
        AtomicFiles.writeString(out.resolve("metrics.json"), jsonLine + "\n");
        cm.writeCsv(out.resolve("confusion.csv"), names);
        ConfusionHeatMap.writePng(out.resolve("confusion.png"), cm, names);
        stdout.print(table);
        stdout.printf(Locale.ROOT, "evaluated %d images (%s, runtime %s, %s); wrote metrics and the confusion matrix "
                + "to %s%n", ev.images(), InferenceOptionsMixin.describe(options), model.engine.runtime,
                model.engine.precision.get().label(), out);
        if (json.wanted) {
            stdout.println(jsonLine);
        }
        stdout.flush();
        return 0;
    }

    /** The labels of this precision against fp32 on the same runtime, over the evaluated images. */
    private double agreementWithFp32(Segmenter reduced, Dataset dataset, int n, InferenceOptions options,
            PrintWriter err) throws IOException {
        try (Segmenter fp32 = model.engine.open(model.checkpoint, Precision.FP32);
                ProgressBars.Bar bar = ProgressBars.start("agreement", n, err)) {
            return LabelAgreement.measure(fp32, reduced, dataset, n, options, bar::stepTo);
        }
    }

    private String defaultSplit() {
        if (kind == DatasetKind.FOLDER) {
            return Files.isDirectory(data.resolve(FolderDataset.IMAGES_DIR).resolve("val")) ? "val" : null;
        }
        return kind.validationSplit();
    }

    private Map<String, Object> summary(SegmentationMetrics m, List<String> names, int images, String s,
            InferenceOptions options) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("miou", finite(m.meanIou()));
        j.put("pixel_accuracy", finite(m.pixelAccuracy()));
        j.put("mean_class_accuracy", finite(m.meanClassAccuracy()));
        j.put("per_class_iou", perClass(m.classIou(), names));
        j.put("per_class_accuracy", perClass(m.classAccuracy(), names));
        j.put("images", images);
        j.put("valid_pixels", m.validPixels());
        j.put("checkpoint", model.checkpoint.toString());
        j.put("dataset", kind.name().toLowerCase(Locale.ROOT));
        j.put("split", s);
        j.put("runtime", model.engine.runtime);
        j.put("scales", options.scales());
        j.put("flip", options.flip());
        j.put("mode", options.window() == null ? "whole" : "slide");
        j.put("out", out.toString());
        return j;
    }

    private static Map<String, Double> perClass(double[] values, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < values.length; c++) {
            out.put(names.get(c), finite(values[c]));
        }
        return out;
    }

    /** JSON has no NaN: undefined values are null. */
    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
