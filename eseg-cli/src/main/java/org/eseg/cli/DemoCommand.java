package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.demo.Demo;
import org.eseg.demo.DemoOptions;
import org.eseg.demo.DemoResult;
import org.eseg.eval.MetricsTable;
import org.eseg.train.checkpoint.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg demo}: synthetic street scenes → train → evaluate → predictions and a training curve. */
@Command(name = "demo",
        description = {
            "Show the whole product in a few minutes on a CPU: generate a synthetic street-scene dataset",
            "(Cityscapes layout), train ESeg-Lite-S on it with a progress bar, evaluate it (per-class IoU,",
            "mIoU), write coloured predictions and overlays of the validation images and the training curve,",
            "and print where each output is. Each run goes into a new OUT/run-N folder.",
        })
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Demo folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "9",
            description = "Time budget of the demo after the build (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "eseg-lite-s",
            description = "Model variant (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-images", paramLabel = "N", defaultValue = "300",
            description = "Synthetic training images (default ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--val-images", paramLabel = "N", defaultValue = "60",
            description = "Synthetic validation images (default ${DEFAULT-VALUE}).")
    int valImages;

    @Mixin
    Json json;

    @Override
    public Integer call() throws IOException {
        org.eseg.model.EsegVariants.byName(model); // an unknown name fails before any work
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoOptions options = new DemoOptions(out, minutes, model, seed, trainImages, valImages);
        DemoResult r;
        try (ProgressListener progress = new ProgressListener("train", err)) {
            r = Demo.run(options, progress, progress::message);
        }
        stdout.println();
        stdout.println(MetricsTable.format(r.metrics(), Checkpoint.readClasses(r.checkpoint()).names()));
        stdout.printf(Locale.ROOT, "%nvalidation mIoU %.4f over the %d classes present (%s, %d steps, %.1f min)%n%n",
                r.metrics().meanIou(), r.metrics().presentClasses(), model, r.steps(), r.seconds() / 60);
        stdout.println("outputs:");
        row(stdout, "dataset", r.data());
        row(stdout, "run folder", r.runDir());
        row(stdout, "checkpoint", r.checkpoint());
        row(stdout, "training curve", r.curves());
        row(stdout, "metrics log", r.runDir().resolve("metrics.jsonl"));
        row(stdout, "confusion matrix", r.confusionCsv());
        row(stdout, "confusion heat map", r.confusionPng());
        row(stdout, "predictions", r.predictions());
        if (json.wanted) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("miou", r.metrics().meanIou());
            o.put("pixel_accuracy", r.metrics().pixelAccuracy());
            o.put("out", r.runDir().toString());
            o.put("checkpoint", r.checkpoint().toString());
            o.put("predictions", r.predictions().toString());
            o.put("curves", r.curves().toString());
            o.put("steps", r.steps());
            o.put("seconds", r.seconds());
            stdout.println(Json.line(o));
        }
        stdout.flush();
        return 0;
    }

    private static void row(PrintWriter out, String what, Path where) {
        out.printf(Locale.ROOT, "  %-19s %s%n", what, where);
    }
}
