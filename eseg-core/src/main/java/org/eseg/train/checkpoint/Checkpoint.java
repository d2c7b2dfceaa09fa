package org.eseg.train.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.eseg.data.ClassInfo;
import org.eseg.model.EsegConfig;
import org.eseg.model.io.ModelFile;
import org.eseg.model.io.StoredClasses;

/**
 * A training checkpoint: a {@link ModelFile} (config + weights, the EMA weights when the run keeps an
 * EMA, so that evaluation and prediction use them) plus everything needed to continue exactly: the raw
 * training weights, EMA and optimizer state, loader position, options, and the dataset's classes.
 *
 * <p>Written atomically: a crash mid-write leaves the previous checkpoint as it was.
 *
 * @param config the architecture
 * @param classes the class names and palette of the training data
 * @param state step, loader position, options
 * @param weights weights for inference (EMA if kept), {@link ModelFile#encode} format
 * @param trainWeights the optimiser's weights, same format
 * @param emaState the EMA's state (empty if none)
 * @param optimizerState the optimizer's momentum buffers
 */
public record Checkpoint(
        EsegConfig config,
        ClassInfo classes,
        TrainState state,
        byte[] weights,
        byte[] trainWeights,
        byte[] emaState,
        byte[] optimizerState) {

    /** The name of the newest checkpoint in a run folder. */
    public static final String LATEST = "latest.eseg";

    private static final String STATE = "state.json";
    private static final String TRAIN_WEIGHTS = "train_weights.ndlist";
    private static final String EMA = "ema_state.ndlist";
    private static final String OPTIMIZER = "optimizer.ndlist";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A checkpoint file, or a run folder meaning its latest checkpoint.
     *
     * @param path a {@code .eseg} file or a run folder
     * @return the checkpoint file
     * @throws NoSuchFileException naming what was looked for
     */
    public static Path resolve(Path path) throws NoSuchFileException {
        if (Files.isDirectory(path)) {
            Path latest = path.resolve(LATEST);
            if (!Files.isRegularFile(latest)) {
                throw new NoSuchFileException(latest.toString(), null,
                        "run folder " + path + " has no checkpoint (" + LATEST + ")");
            }
            return latest;
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "not found (expected a model or checkpoint file, or a training run folder)");
        }
        return path;
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put(ModelFile.CONFIG_ENTRY, config.toJson().getBytes(StandardCharsets.UTF_8));
        e.put(ModelFile.WEIGHTS_ENTRY, weights);
        e.put(ModelFile.CLASSES_ENTRY, ModelFile.encodeClasses(new StoredClasses(classes.names(), classes.colors())));
        e.put(STATE, JSON.writeValueAsBytes(state));
        e.put(TRAIN_WEIGHTS, trainWeights);
        e.put(EMA, emaState);
        e.put(OPTIMIZER, optimizerState);
        ModelFile.writeZip(file, e);
    }

    /**
     * Reads a checkpoint.
     *
     * @param path a checkpoint file or run folder
     * @return the checkpoint
     * @throws IOException if missing, truncated, or not a training checkpoint; the message names the file
     */
    public static Checkpoint read(Path path) throws IOException {
        Path file = resolve(path);
        try (ZipFile zip = open(file)) {
            EsegConfig config;
            try {
                config = EsegConfig.fromJson(new String(entry(zip, file, ModelFile.CONFIG_ENTRY), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": " + ex.getMessage(), ex);
            }
            return new Checkpoint(
                    config,
                    required(toClassInfo(ModelFile.readClasses(file)), file),
                    parse(entry(zip, file, STATE), TrainState.class, file),
                    entry(zip, file, ModelFile.WEIGHTS_ENTRY),
                    entry(zip, file, TRAIN_WEIGHTS),
                    entry(zip, file, EMA),
                    entry(zip, file, OPTIMIZER));
        }
    }

    /**
     * Reads only where a checkpoint's run stands (step, options), without its weights.
     *
     * @param path a checkpoint file or run folder
     * @return the state
     * @throws IOException if missing, damaged, or not a training checkpoint; the message names the file
     */
    public static TrainState readState(Path path) throws IOException {
        Path file = resolve(path);
        try (ZipFile zip = open(file)) {
            return parse(entry(zip, file, STATE), TrainState.class, file);
        }
    }

    /**
     * The classes stored with a model or checkpoint file, if any.
     *
     * @param path a checkpoint file or run folder
     * @return the classes, or null when the file has none (a bare model file)
     * @throws IOException if the file cannot be read
     */
    public static ClassInfo readClasses(Path path) throws IOException {
        return toClassInfo(ModelFile.readClasses(resolve(path)));
    }

    private static ClassInfo required(ClassInfo classes, Path file) throws IOException {
        if (classes == null) {
            throw new IOException(file + ": not a training checkpoint (no " + ModelFile.CLASSES_ENTRY + ")");
        }
        return classes;
    }

    private static ClassInfo toClassInfo(StoredClasses c) {
        return c == null ? null : new ClassInfo(c.names(), c.colors());
    }

    private static <T> T parse(byte[] bytes, Class<T> type, Path file) throws IOException {
        try {
            return JSON.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": corrupt " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        return ModelFile.open(file);
    }

    private static byte[] entry(ZipFile zip, Path file, String name) throws IOException {
        return ModelFile.read(zip, file, name);
    }
}
