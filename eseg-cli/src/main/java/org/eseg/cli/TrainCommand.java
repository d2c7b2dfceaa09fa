package org.eseg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.eval.MetricsTable;
import org.eseg.train.Trainer;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.train.TrainingDataCheck;
import org.eseg.train.TrainingResult;
import org.eseg.train.TrainOptions;
import org.eseg.util.ImageSize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg train}: the paper's training recipe on Cityscapes, ADE20K or a user's folders. */
@Command(name = "train",
        modelTransformer = TrainCommand.SettingOptions.class,
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
                    + "options; only {resumable} may be given with it, any other option is refused. Temporary files a "
                    + "killed run left are removed."})
    Path resume;

    @Option(names = "--overwrite",
            description = {"Start afresh in an --out folder that holds a run: its train-options.json, latest.eseg, "
                    + "metrics.jsonl and curves.png are deleted; nothing else in the folder is touched."})
    boolean overwrite;

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
            if (!o.longestName().equals("--resume") && !resumable(o)) {
                refused.add(o.longestName());
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", refused) + (refused.size() == 1 ? " is" : " are")
                    + " not accepted with --resume: a resumed run keeps the options saved with it; only "
                    + SettingOptions.resumableFlags(spec) + " may be given");
        }
    }

    private static boolean resumable(OptionSpec o) {
        String key = SettingOptions.settingOf(o);
        return key != null && TrainOptions.RESUMABLE.contains(key);
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

    /** The settings given as flags, by setting name. */
    private Map<String, Object> flags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String key = SettingOptions.settingOf(o);
            Object value = o.getValue();
            if (key == null) {
                continue;
            }
            if (value instanceof ImageSize crop) {
                flags.put("cropHeight", crop.height());
                flags.put("cropWidth", crop.width());
            } else if (key.equals("timeLimitSeconds")) {
                flags.put(key, Math.round((Double) value * 60));
            } else {
                flags.put(key, value);
            }
        }
        if (flags.containsKey("epochs") && !flags.containsKey("steps")) {
            flags.put("steps", 0);
        }
        return flags;
    }

    /**
     * Adds an option for every training setting of {@link TrainOptions#SETTINGS}, its help and default read from
     * there: the flag is the setting's name in kebab case, but for the few below, which read better otherwise.
     */
    static final class SettingOptions implements CommandLine.IModelTransformer {

        /** Settings whose flag is not their name: the crop is given as HxW, the time limit in minutes. */
        private static final Map<String, String> FLAGS = Map.of("classesFile", "--classes", "cropHeight", "--crop",
                "cropWidth", "", "timeLimitSeconds", "--max-minutes");

        @Override
        public CommandSpec transform(CommandSpec spec) {
            Map<String, Class<?>> types = new LinkedHashMap<>();
            for (RecordComponent c : TrainOptions.class.getRecordComponents()) {
                types.put(c.getName(), c.getType());
            }
            List<OptionSpec> own = new ArrayList<>();
            for (TrainOptions.Setting s : TrainOptions.SETTINGS) {
                String flag = FLAGS.getOrDefault(s.key(), "--" + s.key().replaceAll("([A-Z])", "-$1")
                        .toLowerCase(Locale.ROOT));
                if (!flag.isEmpty()) {
                    own.add(option(s, flag, types.get(s.key())));
                }
            }
            // --resume names the flags it accepts; the command's own options stay before the settings.
            List<OptionSpec> fields = spec.options().stream()
                    .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--config")).toList();
            fields.forEach(spec::remove);
            String accepted = String.join(", ", own.stream().filter(TrainCommand::resumable)
                    .map(OptionSpec::longestName).toList());
            for (OptionSpec o : fields) {
                spec.addOption(!o.longestName().equals("--resume") ? o
                        : o.toBuilder().description(o.description()[0].replace("{resumable}", accepted)).build());
            }
            own.forEach(spec::addOption);
            return spec;
        }

        /** The picocli option of a setting; a boolean one is negatable, and its help says whether it is on. */
        private static OptionSpec option(TrainOptions.Setting s, String flag, Class<?> type) {
            Object d = s.defaultValue();
            String help = s.help() + (d == null ? "" : " (default " + (d instanceof Boolean on ? (on ? "on" : "off")
                    : d instanceof Double x ? BigDecimal.valueOf(x).stripTrailingZeros().toPlainString() : d) + ")");
            OptionSpec.Builder b = OptionSpec.builder(flag).userObject(s);
            if (flag.equals("--crop")) {
                return b.type(ImageSize.class).converters(new ImageSizeConverter()).paramLabel("HxW")
                        .description("Crop size (default " + d + "x"
                                + TrainOptions.defaults().get("cropWidth") + ").").build();
            }
            if (flag.equals("--max-minutes")) {
                return b.type(Double.class).paramLabel("M")
                        .description("End training after M minutes (validation and checkpoint still run).").build();
            }
            if (type == boolean.class) {
                return b.type(Boolean.class).negatable(true).description(help + ".").build();
            }
            return b.type(boxed(type)).paramLabel(s.label()).description(help + ".").build();
        }

        private static Class<?> boxed(Class<?> type) {
            return type == int.class ? Integer.class : type == long.class ? Long.class
                    : type == double.class ? Double.class : type;
        }

        /** The setting an option sets, or null for the options that are not settings. */
        static String settingOf(OptionSpec o) {
            return o.userObject() instanceof TrainOptions.Setting s ? s.key() : null;
        }

        /** The flags a resumed run accepts, in the order of the help. */
        static String resumableFlags(CommandSpec spec) {
            return String.join(", ", spec.options().stream().filter(TrainCommand::resumable)
                    .map(OptionSpec::longestName).toList());
        }
    }
}
