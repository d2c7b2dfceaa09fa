package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.infer.bench.Benchmark;
import org.eseg.infer.bench.BenchmarkOptions;
import org.eseg.infer.bench.BenchmarkResult;
import org.eseg.infer.runtime.Calibration;
import org.eseg.infer.runtime.ExportCheck;
import org.eseg.infer.runtime.Precision;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.Runtimes;
import org.eseg.model.EsegModel;
import org.eseg.model.complexity.Complexity;
import org.eseg.util.CpuFeatures;
import org.eseg.util.ImageSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg benchmark}: inference latency, throughput and memory of one or more runtimes. */
@Command(name = "benchmark",
        description = {
            "Time inference: warm-up, then latency mean/p50/p90, images per second, achieved GMAC/s and",
            "peak resident memory per runtime. djl = the compiled graph as TorchScript on DJL; onnx = the",
            "exported graph on ONNX Runtime; djl-eager = the unmodified model (for comparison).",
            "Runtimes share this JVM: each is built and warmed up in turn (the peak-RSS counter is reset",
            "before each), then the timed passes alternate between them, so that a machine whose speed",
            "drifts slows every runtime alike. --precision all times fp32, bf16 and int8 of each runtime that",
            "can run them, with each one's ratio to the fastest fp32 runtime. With --serve URL it load-tests a",
            "running 'eseg serve' instead: clients post --image and wait for the answer; per concurrency it",
            "prints images/s, p50/p99 and the answers by status.",
            "With --train: time training steps instead (what 'eseg train' does per step, on one random batch of",
            "--batch crops, without the data loader): step time mean/p50, images per second, where the time",
            "goes (forward with the loss, backward, optimiser, EMA) and peak resident memory per training path.",
        },
        footer = {"", "Examples:",
            "  eseg benchmark --model eseg-s --input 512x1024 --runtime all",
            "  eseg benchmark --checkpoint model.eseg --input 1024x2048 --runtime djl --json",
            "  eseg benchmark --model eseg-s --input 512x1024 --precision all",
            "  eseg benchmark --serve http://127.0.0.1:8080/predictions/city --image street.png \\",
            "      --concurrency 1,4,16 --duration 30s",
            "  eseg benchmark --train --model eseg-s --crop 256x512 --batch 4 --steps 5 --no-ohem --ema-decay 0"})
final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Model (one of; or --serve):%n")
    ModelSource source;

    @ArgGroup(exclusive = false, heading = "Load test of a running eseg serve (instead of a model):%n")
    ServeLoad serve;

    @Option(names = "--input", paramLabel = "HxW", converter = ImageSizeConverter.class,
            defaultValue = "512x1024", description = "Image size (default: ${DEFAULT-VALUE}).")
    ImageSize input;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Images per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    ThreadsMixin threads;

    @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "all",
            description = "djl, onnx, djl-eager or all (= djl and onnx; default: all).")
    String runtime;

    @Option(names = "--iters", paramLabel = "N", defaultValue = "10", description = "Timed passes (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Warm-up passes (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--spin-wait",
            description = "Let ONNX Runtime's threads spin between ops: faster on an idle machine, slower on a busy one.")
    boolean spinWait;

    @Option(names = "--low-memory", description = "ONNX Runtime without its memory arena: lower peak, slower.")
    boolean lowMemory;

    @Mixin
    PrecisionMixin precision;

    @Mixin
    Json json;

    @Option(names = "--train", description = "Time training steps (see above) instead of inference.")
    boolean train;

    @Option(names = "--crop", paramLabel = "HxW", converter = ImageSizeConverter.class, defaultValue = "256x512",
            description = "With --train: crop size (default: ${DEFAULT-VALUE}).")
    ImageSize crop;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "5",
            description = "With --train: timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--path", paramLabel = "NAME", defaultValue = "eager",
            description = "With --train: eager (what 'eseg train' runs), eager-cl (channels-last maps; an "
                    + "experiment, wrong on ESeg-S in libtorch 2.7.1) or all (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--ohem", negatable = true,
            description = "With --train: OHEM cross-entropy, as 'eseg train' (default: train's, on); off: plain.")
    Boolean ohem;

    @Option(names = "--ema-decay", paramLabel = "D",
            description = "With --train: EMA decay of the weights, 0 for none (default: train's, 0.9998).")
    Double emaDecay;

    @Override
    public Integer call() throws Exception {
        if (serve != null) {
            if (source != null) {
                throw new IllegalArgumentException("--serve measures a running server: give no model with it");
            }
            return serve.run(spec.commandLine().getOut(), json.wanted);
        }
        if (source == null) {
            throw new IllegalArgumentException("give a model (--model NAME or --checkpoint PATH) or --serve URL");
        }
        if (train) {
            return TrainBenchmarkRun.run(this, spec.commandLine().getOut());
        }
        List<RuntimeKind> kinds = "all".equalsIgnoreCase(runtime.trim())
                ? List.of(RuntimeKind.DJL, RuntimeKind.ONNX)
                : List.of(RuntimeKind.parse(runtime));
        boolean allPrecisions = "all".equalsIgnoreCase(String.valueOf(precision.precision).trim());
        List<Precision> precisions = allPrecisions ? List.of(Precision.values()) : List.of(precision.get());
        RuntimeOptions runtimeOptions = threads.runtimeOptions().withInput(input, batch)
                .withIdleAndMemory(spinWait, lowMemory);
        BenchmarkOptions options = new BenchmarkOptions(runtimeOptions, iters, warmup);
        PrintWriter out = spec.commandLine().getOut();
        CpuFeatures cpu = CpuFeatures.detect();
        out.println("processor: " + cpu.summary());
        List<Map<String, Object>> runs = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel m = source.open(manager);
            long macs = Complexity.measure(m.config(), input.height(), input.width()).total().macs();
            List<Benchmark.Entry> entries = new ArrayList<>();
            List<Precision> entryPrecision = new ArrayList<>();
            for (RuntimeKind kind : kinds) {
                for (Precision p : precisions) {
                    if (!p.runsOn(kind)) {
                        if (!allPrecisions) {
                            Runtimes.checkPrecision(kind, p);
                        }
                        continue;
                    }
                    p.slowWarning(cpu).ifPresent(w -> out.println("warning: " + w));
                    RuntimeOptions o = runtimeOptions.withPrecision(p, p == Precision.INT8 ? calibration() : null);
                    String label = p == Precision.FP32 && !allPrecisions ? kind.label() : kind.label() + "/" + p.label();
                    entries.add(new Benchmark.Entry(label, m.config().name(), macs, () -> Runtimes.open(kind, m, o)));
                    entryPrecision.add(p);
                }
            }
            if (precisions.contains(Precision.INT8) && precision.calibrateData == null) {
                out.println("int8: calibrated on random images (ranges do not matter for speed; --calibrate-data "
                        + "for a model meant to be used)");
            }
            out.printf(Locale.ROOT, "%s at %s, batch %d, %s MACs per image, %d warm-up + %d timed passes%n",
                    m.config().name(), input, batch, Figures.billions(macs), warmup, iters);
            out.printf(Locale.ROOT, "%-14s %9s %9s %9s %8s %8s %10s %10s %9s%n", "runtime", "ms mean", "ms p50",
                    "ms p90", "img/s", "GMAC/s", "peak MiB", "+RSS MiB", "vs fp32");
            out.flush();
            List<BenchmarkResult> results = Benchmark.run(entries, options);
            double fastestFp32 = Double.NaN;
            for (int i = 0; i < results.size(); i++) {
                if (entryPrecision.get(i) == Precision.FP32 && !(results.get(i).msMean() >= fastestFp32)) {
                    fastestFp32 = results.get(i).msMean();
                }
            }
            for (BenchmarkResult r : results) {
                double ratio = r.msMean() / fastestFp32;
                out.printf(Locale.ROOT, "%-14s %9.1f %9.1f %9.1f %8.2f %8.1f %10.0f %10.0f %9s%n", r.runtime(),
                        r.msMean(), r.msP50(), r.msP90(), r.imagesPerSecond(), r.gmacPerSecond(), r.peakRssMb(),
                        r.rssIncreaseMb(), Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio));
                Map<String, Object> j = toJson(r);
                if (!Double.isNaN(ratio)) {
                    j.put("ratio_to_fastest_fp32", round(ratio));
                }
                runs.add(j);
            }
            out.flush();
        }
        if (json.wanted) {
            out.println(Json.line(Map.of("runs", runs)));
        }
        out.flush();
        return 0;
    }

    /** The int8 calibration: the given folder, else two random images (enough to time it). */
    private Calibration calibration() throws java.io.IOException {
        Calibration c = precision.calibration();
        return c != null ? c : new Calibration(List.of(ExportCheck.randomImage(input, 1), ExportCheck.randomImage(input, 2)),
                Calibration.MIN_MAX);
    }

    private static Map<String, Object> toJson(BenchmarkResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("runtime", r.runtime());
        o.put("model", r.model());
        o.put("input", r.input());
        o.put("batch", r.batch());
        o.put("threads", r.threads());
        o.put("iters", r.iterations());
        o.put("ms_mean", round(r.msMean()));
        o.put("ms_p50", round(r.msP50()));
        o.put("ms_p90", round(r.msP90()));
        o.put("images_per_s", round(r.imagesPerSecond()));
        o.put("gmac_per_s", round(r.gmacPerSecond()));
        o.put("setup_ms", round(r.setupMs()));
        o.put("peak_rss_mb", round(r.peakRssMb()));
        o.put("rss_before_mb", round(r.rssBeforeMb()));
        o.put("rss_increase_mb", round(r.rssIncreaseMb()));
        return o;
    }

    /** Two decimals, for the JSON figures. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
