package org.eseg.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eseg.data.DatasetKind;

/**
 * Every setting of a training run, with the paper's recipe as defaults (docs/design.md section 2). Read from
 * JSON or YAML ({@link #load}), overridden key by key ({@link #merge}), and saved in the run folder.
 * Each component is described, with its default, in {@link #SETTINGS}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainOptions(
        String model,
        DatasetKind dataset,
        String data,
        String classesFile,
        String trainSplit,
        String valSplit,
        String out,
        int cropHeight,
        int cropWidth,
        int batch,
        long steps,
        int epochs,
        double lr,
        double momentum,
        double weightDecay,
        boolean noDecayNormBias,
        long warmupSteps,
        double emaDecay,
        boolean ohem,
        double ohemThreshold,
        long ohemMinKept,
        double scaleMin,
        double scaleMax,
        int longSide,
        boolean flip,
        boolean photometric,
        int workers,
        long seed,
        long evalEvery,
        long logEvery,
        long checkpointEvery,
        double gradClip,
        Double dropPath,
        int threads,
        String pseudoData,
        String initFrom,
        String backboneWeights,
        boolean skipBad,
        int evalLimit,
        long timeLimitSeconds,
        Double bnMomentum,
        String devices) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * One training setting: its record component's name, its default (null: none, or decided later as the help
     * says), a short placeholder for its value and what it does. The defaults and every description of the
     * options (the command line's help included) come from {@link #SETTINGS}, so a new setting is written there
     * and in the record, nowhere else.
     *
     * @param key the record component's name
     * @param defaultValue the default (null: none)
     * @param label a placeholder for the value in help, e.g. {@code N}
     * @param help what the setting does, a phrase without its default
     */
    public record Setting(String key, Object defaultValue, String label, String help) {
    }

    /** Every setting in the record's order, with the paper's recipe as defaults (docs/design.md section 2). */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("model", "eseg-lite-s", "NAME", "Model variant"),
            new Setting("dataset", null, "KIND", "Dataset layout: " + DatasetKind.CHOICES),
            new Setting("data", null, "DIR", "Dataset root folder"),
            new Setting("classesFile", null, "FILE", "Class list of a folder dataset (default DIR/classes.txt)"),
            new Setting("trainSplit", null, "S", "Training split (default: the layout's)"),
            new Setting("valSplit", null, "S", "Validation split (default: the layout's; 'none' to skip)"),
            new Setting("out", null, "RUN_DIR", "Run folder"),
            new Setting("cropHeight", 512, "H", "Crop rows"),
            new Setting("cropWidth", 1024, "W", "Crop columns"),
            new Setting("batch", 16, "N", "Images per step"),
            new Setting("steps", 90000L, "N", "Total optimizer steps (0: use epochs; on resume: the new total)"),
            new Setting("epochs", 0, "N", "Passes over the training set, instead of steps"),
            new Setting("lr", 0.08, "LR", "Initial learning rate"),
            new Setting("momentum", 0.9, "M", "SGD momentum"),
            new Setting("weightDecay", 5e-5, "WD", "Weight decay"),
            new Setting("noDecayNormBias", false, null, "Exclude BatchNorm parameters and biases from weight decay"),
            new Setting("warmupSteps", 0L, "N", "Linear warm-up steps"),
            new Setting("emaDecay", 0.9998, "D", "EMA decay of the weights (0 turns EMA off)"),
            new Setting("ohem", true, null, "OHEM cross-entropy (online hard example mining); off: plain cross-entropy"),
            new Setting("ohemThreshold", 0.7, "P", "OHEM probability threshold"),
            new Setting("ohemMinKept", 0L, "N", "OHEM minimum kept pixels per batch (0: 100000 scaled by crop area)"),
            new Setting("scaleMin", 0.5, "S", "Smallest random scale"),
            new Setting("scaleMax", 2.0, "S", "Largest random scale"),
            new Setting("longSide", 0, "PX", "Resize each image so its longer side is PX pixels before the random "
                    + "scale (0: off; the paper's Mapillary Vistas pre-training uses 2048)"),
            new Setting("flip", true, null, "Random horizontal flip"),
            new Setting("photometric", true, null, "Random photometric distortion"),
            new Setting("workers", 2, "N", "Data-loading threads"),
            new Setting("seed", 0L, "N", "Random seed"),
            new Setting("evalEvery", 0L, "N", "Validate every N steps (0: at the end)"),
            new Setting("logEvery", 10L, "N", "Log metrics every N steps"),
            new Setting("checkpointEvery", 1000L, "N", "Checkpoint every N steps (0: at the end)"),
            new Setting("gradClip", 0.0, "NORM", "Clip the global gradient norm (0: off)"),
            new Setting("dropPath", null, "RATE", "Encoder stochastic-depth rate (default: the variant's)"),
            new Setting("threads", 0, "N", "Intra-op CPU threads (0: all cores)"),
            new Setting("pseudoData", null, "DIR", "Pseudo-labelled folder dataset mixed half and half "
                    + "(self-training)"),
            new Setting("initFrom", null, "CKPT", "Start from another run's weights (new class count: classifier "
                    + "re-initialised)"),
            new Setting("backboneWeights", null, "FILE", "ImageNet backbone from 'eseg import-backbone'"),
            new Setting("skipBad", false, null, "Skip unreadable image/mask pairs (counted) instead of failing"),
            new Setting("evalLimit", 0, "N", "Validate on at most N images (0: all)"),
            new Setting("timeLimitSeconds", 0L, "S", "End training after this many seconds (validation and "
                    + "checkpoint still run; 0: no limit)"),
            new Setting("bnMomentum", null, "M", "BatchNorm momentum, PyTorch-style (default: the model's, 0.01; "
                    + "~0.1 for short runs, so that the statistics used at evaluation catch up with the weights)"),
            new Setting("devices", null, "LIST", "Devices to train on, data-parallel when more than one: e.g. "
                    + "gpu0,gpu1 (default: every visible GPU, else the CPU). The batch is split evenly; the first "
                    + "device holds the master weights"));

    /**
     * The settings a resumed run may change: the new total of steps, and settings of how the run is carried
     * out (time limit, threads, loader workers, devices, how often it logs, validates and checkpoints) rather
     * than what it learns. Everything else is the run's and stays as saved.
     */
    public static final Set<String> RESUMABLE = Set.of("steps", "timeLimitSeconds", "threads", "workers", "devices",
            "logEvery", "checkpointEvery", "evalEvery", "evalLimit");

    /**
     * The devices named by {@link #devices()}.
     *
     * @return the devices in order (empty when none are named)
     * @throws IllegalArgumentException naming an entry that is not {@code cpu} or {@code gpuN}
     */
    public List<ai.djl.Device> deviceList() {
        List<ai.djl.Device> list = new java.util.ArrayList<>();
        if (devices == null) {
            return list;
        }
        for (String d : devices.split(",")) {
            String t = d.trim().toLowerCase(Locale.ROOT);
            if (t.equals("cpu")) {
                list.add(ai.djl.Device.cpu());
            } else if (t.matches("gpu\\d+")) {
                list.add(ai.djl.Device.gpu(Integer.parseInt(t.substring(3))));
            } else {
                throw new IllegalArgumentException("devices: expected a comma-separated list of cpu and gpuN "
                        + "(e.g. gpu0,gpu1), got '" + d.trim() + "'");
            }
        }
        return list;
    }

    /**
     * Checks every value (Jackson builds the record first, so the check runs after it rather than in the
     * constructor, where a failure would be reported against a half-read record).
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting
     */
    public TrainOptions validate() {
        require(model != null && !model.isBlank(), "model is required");
        require(dataset != null, "dataset is required (" + DatasetKind.CHOICES + ")");
        require(data != null && !data.isBlank(), "data (the dataset folder) is required");
        require(out != null && !out.isBlank(), "out (the run folder) is required");
        require(cropHeight > 0 && cropWidth > 0, "crop must be positive, got " + cropHeight + "x" + cropWidth);
        require(batch >= 1, "batch must be >= 1, got " + batch);
        require(steps >= 0 && epochs >= 0 && (steps > 0 || epochs > 0),
                "steps or epochs must be positive, got steps=" + steps + " epochs=" + epochs);
        require(lr > 0, "lr must be > 0, got " + lr);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(warmupSteps >= 0, "warmup steps must be >= 0, got " + warmupSteps);
        require(emaDecay >= 0 && emaDecay < 1, "ema decay must be in [0, 1), got " + emaDecay);
        require(ohemThreshold > 0 && ohemThreshold <= 1, "ohem threshold must be in (0, 1], got " + ohemThreshold);
        require(ohemMinKept >= 0, "ohem min-kept must be >= 0, got " + ohemMinKept);
        require(longSide >= 0, "long side must be >= 0 (0: off), got " + longSide);
        require(scaleMin > 0 && scaleMin <= scaleMax, "scale range must satisfy 0 < min <= max, got ["
                + scaleMin + ", " + scaleMax + "]");
        require(workers >= 1, "workers must be >= 1, got " + workers);
        require(evalEvery >= 0 && logEvery >= 1 && checkpointEvery >= 0,
                "eval-every and checkpoint-every must be >= 0 and log-every >= 1");
        require(gradClip >= 0, "grad clip must be >= 0, got " + gradClip);
        require(dropPath == null || (dropPath >= 0 && dropPath < 1), "drop path must be in [0, 1), got " + dropPath);
        require(threads >= 0, "threads must be >= 0, got " + threads);
        require(evalLimit >= 0, "eval limit must be >= 0, got " + evalLimit);
        require(timeLimitSeconds >= 0, "time limit must be >= 0, got " + timeLimitSeconds);
        require(bnMomentum == null || (bnMomentum > 0 && bnMomentum < 1), "bn momentum must be in (0, 1), got " + bnMomentum);
        if (devices != null) {
            List<ai.djl.Device> list = deviceList();
            require(batch >= list.size(), "batch " + batch + " cannot be split over " + list.size() + " devices");
        }
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The paper's recipe for a model, dataset, data folder and run folder; everything else default.
     *
     * @return a JSON object of the defaults (merge overrides into it, then {@link #fromTree})
     */
    public static ObjectNode defaults() {
        ObjectNode n = JSON.createObjectNode();
        for (Setting s : SETTINGS) {
            n.set(s.key(), JSON.valueToTree(s.defaultValue()));
        }
        return n;
    }

    /**
     * Reads a JSON or YAML options file (YAML when the name ends in .yaml or .yml).
     *
     * @param file the file
     * @return its object, to merge over {@link #defaults()}
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file when it is missing, does not parse (with the line) or has an
     *     unknown key (with the known ones)
     */
    public static ObjectNode load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        JsonNode n;
        try {
            n = mapper.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                    : ":" + e.getLocation().getLineNr();
            // The parser's own lines only: its echo of the source and its caret markers are indented.
            String why = String.join("; ", e.getOriginalMessage().lines()
                    .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
            throw new IllegalArgumentException(file + at + ": not valid " + (mapper == YAML ? "YAML" : "JSON")
                    + ": " + why, e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new IllegalArgumentException(file + ": expected an object of training options (key: value lines)");
        }
        Set<String> known = knownKeys();
        o.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option '" + k + "' in " + file + "; known: "
                        + String.join(", ", known));
            }
        });
        return o;
    }

    /**
     * Overlays values onto a tree: the later wins, key by key.
     *
     * @param base the tree to change
     * @param overrides key → value (null values are skipped: "not given")
     * @return base
     */
    public static ObjectNode merge(ObjectNode base, Map<String, ?> overrides) {
        overrides.forEach((k, v) -> {
            if (v != null) {
                base.set(k, JSON.valueToTree(v instanceof Path p ? p.toString() : v));
            }
        });
        return base;
    }

    /**
     * Overlays one tree onto another.
     *
     * @param base the tree to change
     * @param top the values that win
     * @return base
     */
    public static ObjectNode merge(ObjectNode base, ObjectNode top) {
        top.properties().forEach(e -> base.set(e.getKey(), e.getValue()));
        return base;
    }

    /**
     * Builds options from a tree.
     *
     * @param tree the merged settings
     * @return the options
     * @throws IllegalArgumentException naming the bad or unknown setting
     */
    public static TrainOptions fromTree(ObjectNode tree) {
        try {
            return JSON.treeToValue(tree, TrainOptions.class).validate();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid training options: " + describe(e, tree), e);
        }
    }

    /** Says what was wrong in the options' words, not Jackson's (which names Java classes). */
    private static String describe(JsonProcessingException e, ObjectNode tree) {
        if (e.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown option '" + u.getPropertyName() + "'; known: " + String.join(", ", knownKeys());
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty() && m.getPath().get(0).getFieldName() != null) {
            String key = m.getPath().get(0).getFieldName();
            Class<?> type = m.getTargetType();
            String expected = type == null ? "another value"
                    : type.isEnum() ? "one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.toString().toLowerCase(Locale.ROOT)).toList())
                    : type == String.class ? "text"
                    : type.getSimpleName().toLowerCase(Locale.ROOT).replace("integer", "int");
            return "option '" + key + "': expected " + expected + ", got " + tree.get(key);
        }
        return e.getOriginalMessage();
    }

    private static Set<String> knownKeys() {
        Set<String> known = new TreeSet<>();
        defaults().fieldNames().forEachRemaining(known::add);
        return known;
    }

    /**
     * Parses options saved by {@link #toJson()}.
     *
     * @param json the text
     * @return the options
     */
    public static TrainOptions fromJson(String json) {
        try {
            return fromTree((ObjectNode) JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid training options: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The options of a run continued in a folder, possibly moved or copied since it was saved.
     *
     * @param runDir the folder the run continues in (becomes {@link #out()})
     * @param step the step the run is at
     * @param overrides new values of {@link #RESUMABLE} settings (null values: not given)
     * @return the options to continue with
     * @throws IllegalArgumentException naming a setting that cannot change, or a total below {@code step}
     */
    public TrainOptions resumedIn(Path runDir, long step, Map<String, ?> overrides) {
        ObjectNode tree = toTree();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (e.getValue() != null && !RESUMABLE.contains(e.getKey())) {
                throw new IllegalArgumentException("'" + e.getKey() + "' cannot change when a run is resumed: the "
                        + "run keeps its saved options; only " + String.join(", ", RESUMABLE.stream().sorted().toList())
                        + " can");
            }
        }
        merge(tree, overrides);
        if (overrides.get("steps") != null) {
            long steps = ((Number) overrides.get("steps")).longValue();
            require(steps >= step, "cannot continue to a total of " + steps + " steps: the run in " + runDir
                    + " is already at step " + step);
            tree.put("epochs", 0);
        }
        tree.put("out", runDir.toString());
        return fromTree(tree);
    }

    /**
     * Serialises every setting.
     *
     * @return indented JSON
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The options as a tree, e.g. to merge a resumed run's new flags over.
     *
     * @return a fresh tree
     */
    public ObjectNode toTree() {
        return JSON.valueToTree(this);
    }

    /**
     * OHEM's minimum kept pixels per batch: the configured value, or 100000 scaled by the crop's area
     * relative to 512×1024 (the paper's crop).
     *
     * @return pixels
     */
    public long effectiveOhemMinKept() {
        return ohemMinKept > 0 ? ohemMinKept : Math.max(1, Math.round(100000.0 * cropHeight * cropWidth / (512 * 1024)));
    }
}
