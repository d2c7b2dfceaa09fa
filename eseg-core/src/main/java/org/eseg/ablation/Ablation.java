package org.eseg.ablation;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.eseg.infer.bench.Benchmark;
import org.eseg.infer.bench.BenchmarkOptions;
import org.eseg.infer.bench.BenchmarkResult;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.Runtimes;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.complexity.Complexity;
import org.eseg.model.complexity.ComplexityReport;
import org.eseg.model.io.ModelFile;
import org.eseg.train.TrainOptions;
import org.eseg.train.Trainer;
import org.eseg.train.TrainingListener;
import org.eseg.train.TrainingResult;
import org.eseg.util.OutputFolders;

/**
 * The paper's Table 8 experiment (docs/ablation.md): trains each model with the same settings (only the
 * model differs), validates it at the end, counts its parameters and multiply-adds at 1024×2048, and times
 * all of them side by side (their forward passes interleaved, so that a busy machine slows all alike).
 */
public final class Ablation {

    /** Table 8's rows in the paper's order: EfficientNet-B1 then ResNet-50; BiFPN, DeepLabV3+ with, without atrous. */
    public static final List<String> TABLE8 = List.of(
            "eseg-s", "eseg-s-dlv3p", "eseg-s-dlv3p-noatrous", "r50-bifpn", "r50-dlv3p", "r50-dlv3p-noatrous");

    /** The paper's resolution for parameters and FLOPs. */
    private static final int PAPER_HEIGHT = 1024;
    private static final int PAPER_WIDTH = 2048;
    private static final int LATENCY_WARMUP = 1;

    private Ablation() {}

    /**
     * The training settings every row shares; only {@code model} and {@code out} differ between rows.
     *
     * @param o the ablation options
     * @param model the row's variant
     * @param runDir the row's run folder
     * @return the options
     */
    static TrainOptions recipe(AblationOptions o, String model, Path runDir) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("model", model);
        v.put("dataset", o.dataset());
        v.put("data", o.data().toString());
        v.put("out", runDir.toString());
        v.put("steps", o.steps());
        putIfSet(v, "batch", o.batch());
        if (o.crop() != null) {
            v.put("cropHeight", o.crop().height());
            v.put("cropWidth", o.crop().width());
        }
        putIfSet(v, "lr", o.lr());
        putIfSet(v, "emaDecay", o.emaDecay());
        v.put("seed", o.seed());
        v.put("evalEvery", 0L);
        v.put("checkpointEvery", 0L);
        return TrainOptions.fromTree(TrainOptions.merge(TrainOptions.defaults(), v));
    }

    private static void putIfSet(Map<String, Object> v, String key, Object value) {
        if (value != null) {
            v.put(key, value);
        }
    }

    /**
     * Runs the ablation.
     *
     * @param o options
     * @param listener training progress of each row
     * @param log one-line status messages
     * @return one row per model, in the options' order
     * @throws IOException if the output folder cannot be written or already holds a row's run (checked before
     *     any training), or a checkpoint cannot be read back
     */
    public static List<AblationRow> run(AblationOptions o, TrainingListener listener, Consumer<String> log)
            throws IOException {
        for (String m : o.models()) {
            EsegVariants.byName(m); // an unknown name fails before any work
        }
        Files.createDirectories(o.out());
        OutputFolders.checkWritable(o.out());
        for (String m : o.models()) {
            if (Files.exists(o.out().resolve(m))) {
                throw new FileAlreadyExistsException(o.out().resolve(m).toString(), null,
                        "already holds a run of " + m + "; choose another output folder");
            }
        }
        List<TrainingResult> trained = new ArrayList<>();
        for (String m : o.models()) {
            Path runDir = Files.createDirectory(o.out().resolve(m));
            log.accept(String.format(Locale.ROOT, "training %s for %d steps in %s", m, o.steps(), runDir));
            trained.add(new Trainer(recipe(o, m, runDir), listener).run());
        }
        log.accept("measuring latency at " + o.latencyInput() + " with " + o.runtime().label()
                + " (models interleaved)");
        return measure(o, trained);
    }

    private static List<AblationRow> measure(AblationOptions o, List<TrainingResult> trained) throws IOException {
        RuntimeOptions runtime = RuntimeOptions.DEFAULT.withInput(o.latencyInput(), 1);
        List<AblationRow> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Benchmark.Entry> entries = new ArrayList<>();
            List<EsegConfig> configs = new ArrayList<>();
            for (TrainingResult r : trained) {
                EsegModel model = ModelFile.load(r.checkpoint(), manager);
                EsegConfig c = model.config();
                configs.add(c);
                long macs = Complexity.measure(c, o.latencyInput().height(), o.latencyInput().width()).total().macs();
                entries.add(new Benchmark.Entry(o.runtime().label(), c.name(), macs,
                        () -> Runtimes.open(o.runtime(), model, runtime)));
            }
            List<BenchmarkResult> timed = Benchmark.run(entries,
                    new BenchmarkOptions(runtime, o.latencyIterations(), LATENCY_WARMUP));
            for (int i = 0; i < trained.size(); i++) {
                EsegConfig c = configs.get(i);
                ComplexityReport paperSize = Complexity.measure(c, PAPER_HEIGHT, PAPER_WIDTH);
                TrainingResult r = trained.get(i);
                double miou = r.validation() == null ? Double.NaN : r.validation().meanIou();
                rows.add(new AblationRow(c.name(), c.backbone().name(),
                        c.decoder().kind().name().toLowerCase(Locale.ROOT), miou, paperSize.total().params(),
                        paperSize.total().macs(), timed.get(i).msMean(), r.checkpoint()));
            }
        }
        return rows;
    }
}
