package org.eseg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.data.DatasetKind;
import org.eseg.eval.MetricsTable;
import org.eseg.train.Trainer;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.train.TrainingDataCheck;
import org.eseg.train.TrainingResult;
import org.eseg.train.TrainOptions;
import org.eseg.util.ImageSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg train}: the paper's training recipe on Cityscapes, ADE20K or a user's folders. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train an ESeg model. Defaults follow the paper: SGD momentum 0.9, lr 0.08 with cosine decay to 0,",
            "weight decay 5e-5, OHEM, EMA 0.9998, random scale [0.5, 2], crop 512x1024, flip, batch 16.",
            "Writes RUN_DIR/latest.eseg (checkpoint), metrics.jsonl, curves.png and train-options.json.",
            "Ctrl-C writes a checkpoint and exits; --resume RUN_DIR continues exactly where it stopped.",
            "RUN_DIR is locked (RUN_DIR/.lock) while a run uses it: a second train on it fails at once, naming",
            "the first; a lock left by a crashed run is reported and taken over. A RUN_DIR that holds a run is",
            "refused unless --resume or --overwrite is given; a failed run removes the RUN_DIR it created.",
        },
        footer = {"", "Examples:",
            "  eseg train --model eseg-s --dataset cityscapes --data /data/cityscapes --out runs/s",
            "  eseg train --model eseg-m --dataset ade20k --data /data/ADEChallengeData2016 --crop 520x520 \\",
            "             --steps 160000 --out runs/ade",
            "  eseg train --model eseg-lite-s --dataset folder --data my-data --crop 256x256 --batch 8 --out runs/mine",
            "  eseg train --resume runs/s --steps 120000",
            "  eseg train --config recipe.yaml --lr 0.04       # flags override the file"})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON or YAML file of options (flags override it).")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = {"Continue a run from its latest checkpoint, in RUN_DIR (wherever the run was first "
                    + "written: a moved or copied run folder continues where it is now). The run keeps its saved "
                    + "options; only --steps (the new total, not below the run's step), --max-minutes, --threads, "
                    + "--workers, --devices, --log-every, --checkpoint-every, --eval-every and --eval-limit may be "
                    + "given with it, any other option is refused. Temporary files a killed run left are removed."})
    Path resume;

    @Option(names = "--overwrite",
            description = {"Start afresh in an --out folder that holds a run: its train-options.json, latest.eseg, "
                    + "metrics.jsonl and curves.png are deleted; nothing else in the folder is touched."})
    boolean overwrite;

    @Option(names = "--model", paramLabel = "NAME", description = "Model variant (default eseg-lite-s).")
    String model;

    @Option(names = "--dataset", paramLabel = "KIND", description = "cityscapes, ade20k or folder.")
    DatasetKind dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset root folder.")
    Path data;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class list of a folder dataset (default DIR/classes.txt).")
    Path classesFile;

    @Option(names = "--train-split", paramLabel = "S", description = "Training split (default: the layout's).")
    String trainSplit;

    @Option(names = "--val-split", paramLabel = "S", description = "Validation split (default: the layout's; 'none' to skip).")
    String valSplit;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder.")
    Path out;

    @Option(names = "--crop", paramLabel = "HxW", converter = ImageSizeConverter.class, description = "Crop size (default 512x1024).")
    ImageSize crop;

    @Option(names = "--batch", paramLabel = "N", description = "Images per step (default 16).")
    Integer batch;

    @Option(names = "--steps", paramLabel = "N", description = "Total steps (default 90000; with --resume: the new total).")
    Long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Train for N passes instead of --steps.")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate (default 0.08).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default 0.9).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "Weight decay (default 5e-5).")
    Double weightDecay;

    @Option(names = "--no-decay-norm-bias", negatable = true, description = "Exclude BatchNorm parameters and biases from weight decay.")
    Boolean noDecayNormBias;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear warm-up steps (default 0).")
    Long warmupSteps;

    @Option(names = "--ema-decay", paramLabel = "D", description = "EMA decay (default 0.9998; 0 turns EMA off).")
    Double emaDecay;

    @Option(names = "--ohem", negatable = true, description = "OHEM cross-entropy (default on); --no-ohem for plain cross-entropy.")
    Boolean ohem;

    @Option(names = "--ohem-threshold", paramLabel = "P", description = "OHEM probability threshold (default 0.7).")
    Double ohemThreshold;

    @Option(names = "--ohem-min-kept", paramLabel = "N", description = "OHEM minimum kept pixels per batch (default 100000 scaled by crop area).")
    Long ohemMinKept;

    @Option(names = "--scale-min", paramLabel = "S", description = "Smallest random scale (default 0.5).")
    Double scaleMin;

    @Option(names = "--scale-max", paramLabel = "S", description = "Largest random scale (default 2.0).")
    Double scaleMax;

    @Option(names = "--flip", negatable = true, description = "Random horizontal flip (default on).")
    Boolean flip;

    @Option(names = "--photometric", negatable = true, description = "Random photometric distortion (default on).")
    Boolean photometric;

    @Option(names = "--workers", paramLabel = "N", description = "Data-loading threads (default 2).")
    Integer workers;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 0).")
    Long seed;

    @Option(names = "--eval-every", paramLabel = "N", description = "Validate every N steps (default 0: at the end).")
    Long evalEvery;

    @Option(names = "--eval-limit", paramLabel = "N", description = "Validate on at most N images (default all).")
    Integer evalLimit;

    @Option(names = "--log-every", paramLabel = "N", description = "Log metrics every N steps (default 10).")
    Long logEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Checkpoint every N steps (default 1000).")
    Long checkpointEvery;

    @Option(names = "--grad-clip", paramLabel = "NORM", description = "Clip the global gradient norm (default off).")
    Double gradClip;

    @Option(names = "--drop-path", paramLabel = "RATE", description = "Encoder stochastic-depth rate (default 0.2).")
    Double dropPath;

    @Option(names = "--bn-momentum", paramLabel = "M",
            description = "BatchNorm momentum, PyTorch-style (default 0.01; ~0.1 for short runs).")
    Double bnMomentum;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--devices", paramLabel = "LIST",
            description = "Devices to train on, data-parallel when more than one: e.g. gpu0,gpu1 (default: every "
                    + "visible GPU, else the CPU). The batch is split evenly; the first device holds the master "
                    + "weights.")
    String devices;

    @Option(names = "--pseudo-data", paramLabel = "DIR", description = "Pseudo-labelled folder dataset mixed half and half (self-training).")
    Path pseudoData;

    @Option(names = "--init-from", paramLabel = "CKPT", description = "Start from another run's weights (new class count: classifier re-initialised).")
    Path initFrom;

    @Option(names = "--backbone-weights", paramLabel = "FILE", description = "ImageNet backbone from 'eseg import-backbone'.")
    Path backboneWeights;

    @Option(names = "--max-minutes", paramLabel = "M",
            description = "End training after M minutes (validation and checkpoint still run).")
    Double maxMinutes;

    @Option(names = "--skip-bad", negatable = true, description = "Skip unreadable image/mask pairs (counted) instead of failing.")
    Boolean skipBad;

    @Option(names = "--no-validate",
            description = "Start at once instead of first checking every image and mask (a bad file then fails "
                    + "when the loader reaches it). Not done with --skip-bad, which skips and counts bad pairs.")
    boolean noValidate;

    @Override
    public Integer call() throws IOException {
        TrainOptions fresh = null;
        if (resume != null) {
            checkResumable();
        } else {
            fresh = options();
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ProgressListener progress = new ProgressListener("train", spec.commandLine().getErr())) {
            Trainer trainer = resume != null ? Trainer.resume(resume, flags(), progress)
                    : overwrite ? Trainer.overwriting(fresh, progress) : new Trainer(fresh, progress);
            TrainOptions o = trainer.options();
            out.printf(Locale.ROOT, "%s %s on %s %s -> %s%n", resume != null ? "resuming" : "training", o.model(),
                    o.dataset().name().toLowerCase(Locale.ROOT), o.data(), o.out());
            out.flush();
            if (!noValidate && !o.skipBad()) {
                try (ProgressBars.Bar bar = ProgressBars.start("check data", 1, spec.commandLine().getErr())) {
                    TrainingDataCheck.run(o, Runtime.getRuntime().availableProcessors(), bar::checked);
                }
            }
            TrainingResult r = trainer.run();
            progress.close();
            if (r.validation() != null) {
                out.println();
                out.println(MetricsTable.format(r.validation(), Checkpoint.readClasses(r.checkpoint()).names()));
            }
            out.printf(Locale.ROOT, "%s after %d steps; checkpoint %s%n",
                    r.interrupted() ? "stopped" : "finished", r.steps(), r.checkpoint());
            out.flush();
        }
        return 0;
    }

    /** With --resume, every other option given must be one a resumed run may change. */
    private void checkResumable() {
        List<String> refused = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String key = settingOf(o);
            if (!key.equals("resume") && !TrainOptions.RESUMABLE.contains(key)) {
                refused.add(o.longestName());
            }
        }
        if (!refused.isEmpty()) {
            List<String> allowed = spec.options().stream()
                    .filter(o -> TrainOptions.RESUMABLE.contains(settingOf(o))).map(OptionSpec::longestName).toList();
            throw new IllegalArgumentException(String.join(", ", refused) + (refused.size() == 1 ? " is" : " are")
                    + " not accepted with --resume: a resumed run keeps the options saved with it; only "
                    + String.join(", ", allowed) + " may be given");
        }
    }

    /** The training setting an option sets: the field's name, which is the setting's, but for --max-minutes. */
    private static String settingOf(OptionSpec o) {
        String field = o.userObject() instanceof Field f ? f.getName() : o.longestName();
        return field.equals("maxMinutes") ? "timeLimitSeconds" : field;
    }

    private TrainOptions options() throws IOException {
        ObjectNode tree = TrainOptions.defaults();
        if (config != null) {
            TrainOptions.merge(tree, TrainOptions.load(config));
        }
        TrainOptions.merge(tree, flags());
        for (String required : new String[] {"dataset", "data", "out"}) {
            if (tree.get(required) == null || tree.get(required).isNull()) {
                throw new IllegalArgumentException("--" + required + " is required (or give it in --config)");
            }
        }
        return TrainOptions.fromTree(tree);
    }

    /** The settings given as flags (null: not given). */
    private Map<String, Object> flags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model", model);
        flags.put("dataset", dataset);
        flags.put("data", data);
        flags.put("classesFile", classesFile);
        flags.put("trainSplit", trainSplit);
        flags.put("valSplit", valSplit);
        flags.put("out", out);
        if (crop != null) {
            flags.put("cropHeight", crop.height());
            flags.put("cropWidth", crop.width());
        }
        flags.put("batch", batch);
        flags.put("steps", steps);
        if (epochs != null) {
            flags.put("epochs", epochs);
            if (steps == null) {
                flags.put("steps", 0);
            }
        }
        flags.put("lr", lr);
        flags.put("momentum", momentum);
        flags.put("weightDecay", weightDecay);
        flags.put("noDecayNormBias", noDecayNormBias);
        flags.put("warmupSteps", warmupSteps);
        flags.put("emaDecay", emaDecay);
        flags.put("ohem", ohem);
        flags.put("ohemThreshold", ohemThreshold);
        flags.put("ohemMinKept", ohemMinKept);
        flags.put("scaleMin", scaleMin);
        flags.put("scaleMax", scaleMax);
        flags.put("flip", flip);
        flags.put("photometric", photometric);
        flags.put("workers", workers);
        flags.put("seed", seed);
        flags.put("evalEvery", evalEvery);
        flags.put("evalLimit", evalLimit);
        flags.put("logEvery", logEvery);
        flags.put("checkpointEvery", checkpointEvery);
        flags.put("gradClip", gradClip);
        flags.put("dropPath", dropPath);
        flags.put("threads", threads);
        flags.put("devices", devices);
        flags.put("bnMomentum", bnMomentum);
        flags.put("pseudoData", pseudoData);
        flags.put("initFrom", initFrom);
        flags.put("backboneWeights", backboneWeights);
        flags.put("skipBad", skipBad);
        if (maxMinutes != null) {
            flags.put("timeLimitSeconds", Math.round(maxMinutes * 60));
        }
        return flags;
    }
}
