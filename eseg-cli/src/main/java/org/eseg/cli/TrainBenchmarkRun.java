package org.eseg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eseg.model.EsegConfig;
import org.eseg.train.SyntheticTraining;
import org.eseg.train.TrainOptions;
import org.eseg.train.TrainingPath;
import org.eseg.train.bench.TrainBenchmark;
import org.eseg.train.bench.TrainBenchmarkResult;
import picocli.CommandLine.ParameterException;

/** {@code eseg benchmark --train}: the training options from the command's flags, the table and the JSON. */
final class TrainBenchmarkRun {


    private TrainBenchmarkRun() {}

    static int run(BenchmarkCommand c, PrintWriter out) {
        if (c.source == null || c.source.checkpoint != null) {
            throw new ParameterException(c.spec.commandLine(), "--train builds a named model: give --model, not --checkpoint");
        }
        if (c.batch < 1 || c.steps < 1 || c.warmup < 0) {
            throw new ParameterException(c.spec.commandLine(), "--batch and --steps must be >= 1 and --warmup >= 0");
        }
        EsegConfig config = c.source.architecture.toConfig();
        Map<String, Object> flags = new LinkedHashMap<>();
        // The steps run on a random batch and write nothing: the dataset and run folder are never read.
        flags.put("dataset", "folder");
        flags.put("data", "(random batch)");
        flags.put("out", "(none)");
        flags.put("model", config.name());
        flags.put("cropHeight", c.crop.height());
        flags.put("cropWidth", c.crop.width());
        flags.put("batch", c.batch);
        flags.put("threads", c.threads.threads);
        if (c.ohem != null) {
            flags.put("ohem", c.ohem);
        }
        if (c.emaDecay != null) {
            flags.put("emaDecay", c.emaDecay);
        }
        ObjectNode tree = TrainOptions.merge(TrainOptions.defaults(), flags);
        TrainOptions options = TrainOptions.fromTree(tree);
        int classes = config.numClasses();
        out.printf(Locale.ROOT, "training %s at %s, batch %d, %s, EMA %s: %d warm-up + %d timed steps%n",
                config.name(), c.crop, c.batch, options.ohem() ? "OHEM cross-entropy" : "plain cross-entropy",
                options.emaDecay() > 0 ? "decay " + options.emaDecay() : "off", c.warmup, c.steps);
        out.printf(Locale.ROOT, "%-8s %9s %9s %7s %9s %9s %9s %9s %7s %9s%n", "path", "ms mean", "ms p50", "img/s", "cpu ms",
                "forward", "backward", "optim", "ema", "peak MiB");
        out.flush();
        List<TrainBenchmark.Entry> entries = new ArrayList<>();
        List<TrainingPath> paths = "all".equalsIgnoreCase(c.path.trim())
                ? List.of(TrainingPath.values()) : List.of(TrainingPath.parse(c.path));
        for (TrainingPath path : paths) {
            entries.add(new TrainBenchmark.Entry(path.label(), () -> SyntheticTraining.open(options, classes, path)));
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (TrainBenchmarkResult r : TrainBenchmark.run(entries, c.warmup, c.steps, c.batch)) {
            out.printf(Locale.ROOT, "%-8s %9.0f %9.0f %7.2f %9.0f %9.0f %9.0f %9.0f %7.0f %9.0f%n", r.path(),
                    r.msMean(), r.msP50(), r.imagesPerSecond(), r.cpuMsMean(), r.forwardMs(), r.backwardMs(), r.optimizerMs(), r.emaMs(),
                    r.peakRssMb());
            runs.add(toJson(r, config.name(), c));
        }
        if (c.json.wanted) {
            out.println(Json.line(Map.of("train_runs", runs)));
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> toJson(TrainBenchmarkResult r, String model, BenchmarkCommand c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("path", r.path());
        o.put("model", model);
        o.put("crop", c.crop.toString());
        o.put("batch", c.batch);
        o.put("steps", r.steps());
        o.put("ms_mean", BenchmarkCommand.round(r.msMean()));
        o.put("ms_p50", BenchmarkCommand.round(r.msP50()));
        o.put("images_per_s", BenchmarkCommand.round(r.imagesPerSecond()));
        o.put("cpu_ms_mean", BenchmarkCommand.round(r.cpuMsMean()));
        o.put("forward_ms", BenchmarkCommand.round(r.forwardMs()));
        o.put("backward_ms", BenchmarkCommand.round(r.backwardMs()));
        o.put("optimizer_ms", BenchmarkCommand.round(r.optimizerMs()));
        o.put("ema_ms", BenchmarkCommand.round(r.emaMs()));
        o.put("peak_rss_mb", BenchmarkCommand.round(r.peakRssMb()));
        return o;
    }
}
