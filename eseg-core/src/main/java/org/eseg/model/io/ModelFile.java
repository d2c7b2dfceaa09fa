package org.eseg.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.util.AtomicFiles;
import org.eseg.util.ZipEntries;
import org.eseg.util.Tensors;

/**
 * A saved ESeg model: one zip file holding {@code config.json} (the architecture),
 * {@code weights.ndlist} (every parameter and BatchNorm statistic, keyed by {@link ParameterNames}) and,
 * when known, {@code classes.json} (the class names and palette), so that loading needs no other
 * information. Written atomically; a truncated file fails to open with an error naming it, and every entry
 * read is checked against the CRC-32 the zip records for it ({@link ZipEntries}), so a damaged file is
 * refused naming the file and the entry.
 */
public final class ModelFile {

    /** The zip entry holding the configuration. */
    public static final String CONFIG_ENTRY = "config.json";
    /** The zip entry holding the weights. */
    public static final String WEIGHTS_ENTRY = "weights.ndlist";
    /** The zip entry holding the class names and palette ({@link StoredClasses}). */
    public static final String CLASSES_ENTRY = "classes.json";
    /** The spatial size a loaded model is initialised at (any size works afterwards). */
    private static final Shape INIT_SHAPE = new Shape(1, 3, 64, 64);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFile() {}

    /**
     * Saves a model.
     *
     * @param model an initialised model
     * @param file the target file (replaced atomically)
     * @throws IOException if it cannot be written
     */
    public static void save(EsegModel model, Path file) throws IOException {
        save(model, null, file);
    }

    /**
     * Saves a model with the names and palette of the classes it predicts.
     *
     * @param model an initialised model
     * @param classes one per output channel, or null when unknown
     * @param file the target file (replaced atomically)
     * @throws IOException if it cannot be written
     */
    public static void save(EsegModel model, StoredClasses classes, Path file) throws IOException {
        if (classes != null && classes.names().size() != model.config().numClasses()) {
            throw new IllegalArgumentException(classes.names().size() + " class names for a model with "
                    + model.config().numClasses() + " classes");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(CONFIG_ENTRY, model.config().toJson().getBytes(StandardCharsets.UTF_8));
        entries.put(WEIGHTS_ENTRY, encode(model));
        if (classes != null) {
            entries.put(CLASSES_ENTRY, encodeClasses(classes));
        }
        writeZip(file, entries);
    }

    /**
     * Encodes class names and palette as the {@link #CLASSES_ENTRY} entry.
     *
     * @param classes the classes
     * @return the entry's bytes
     */
    public static byte[] encodeClasses(StoredClasses classes) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(classes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The class names and palette stored in a model or checkpoint file.
     *
     * @param file a model file
     * @return the classes, or null when the file has none (a bare model file)
     * @throws IOException if the file cannot be read or the entry is corrupt, naming the file
     */
    public static StoredClasses readClasses(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            if (zip.getEntry(CLASSES_ENTRY) == null) {
                return null;
            }
            try {
                return JSON.readValue(read(zip, file, CLASSES_ENTRY), StoredClasses.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(file + ": corrupt " + CLASSES_ENTRY + " (" + e.getMessage() + ")", e);
            }
        }
    }

    /**
     * Writes named entries into a zip file atomically.
     *
     * @param file the target
     * @param entries name → content
     * @throws IOException if it cannot be written
     */
    public static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                // Float weights barely compress; the fastest level saves seconds on large models.
                zip.setLevel(java.util.zip.Deflater.BEST_SPEED);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
        });
    }

    /**
     * Encodes a block's parameters as a named NDList.
     *
     * @param block an initialised block
     * @return the encoded bytes
     */
    public static byte[] encode(Block block) {
        NDList list = new NDList();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(block).entrySet()) {
            NDArray a = e.getValue().getArray();
            a.setName(e.getKey());
            list.add(a);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            list.encode(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the configuration of a saved model without loading its weights.
     *
     * @param file a model file
     * @return its configuration
     * @throws IOException if the file is missing, truncated or not a model file, naming it
     */
    public static EsegConfig readConfig(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            return EsegConfig.fromJson(new String(read(zip, file, CONFIG_ENTRY), StandardCharsets.UTF_8));
        }
    }

    /**
     * Loads a saved model onto a manager.
     *
     * @param file a model file
     * @param manager owns the weights
     * @return the initialised model
     * @throws IOException if the file is missing, truncated, not a model file, or its weights do not fit
     *     its configuration; the message names the file and the tensor
     */
    public static EsegModel load(Path file, NDManager manager) throws IOException {
        try (ZipFile zip = open(file)) {
            EsegConfig config;
            try {
                config = EsegConfig.fromJson(new String(read(zip, file, CONFIG_ENTRY), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            EsegModel model = EsegModel.create(config);
            model.initialize(manager, DataType.FLOAT32, INIT_SHAPE);
            loadInto(model, read(zip, file, WEIGHTS_ENTRY), manager, file.toString());
            return model;
        }
    }

    /**
     * Copies named tensors into a block's parameters; every parameter must be present with its shape.
     *
     * @param block an initialised block
     * @param encoded bytes written by {@link #encode(Block)}
     * @param manager a manager for the temporary decoded arrays
     * @param source names the origin in error messages
     * @throws IOException if a tensor is missing, unexpected, or of the wrong shape
     */
    public static void loadInto(Block block, byte[] encoded, NDManager manager, String source) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            NDList list;
            try {
                list = NDList.decode(tmp, encoded);
            } catch (RuntimeException e) {
                throw new IOException(source + ": weights are corrupt (" + e.getMessage() + ")", e);
            }
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            for (Map.Entry<String, Parameter> e : ParameterNames.of(block).entrySet()) {
                NDArray src = byName.remove(e.getKey());
                NDArray dst = e.getValue().getArray();
                if (src == null) {
                    throw new IOException(source + ": tensor '" + e.getKey() + "' is missing");
                }
                if (!src.getShape().equals(dst.getShape())) {
                    throw new IOException(source + ": tensor '" + e.getKey() + "' has shape " + src.getShape()
                            + ", the model expects " + dst.getShape());
                }
                Tensors.assign(dst, src);
            }
            if (!byName.isEmpty()) {
                throw new IOException(source + ": tensors not in the model: " + byName.keySet());
            }
        }
    }

    /**
     * Opens an eseg zip file (model or checkpoint).
     *
     * @param file the file
     * @return the open zip
     * @throws IOException naming the file if it is missing, truncated or not a zip
     */
    public static ZipFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.isDirectory(file)
                    ? "is a folder, expected a model or checkpoint file"
                    : "not found (expected a model or checkpoint file)");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not an eseg model file or truncated (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads one entry of an eseg zip file.
     *
     * @param zip the open file
     * @param file its path, for messages
     * @param entry the entry name
     * @return its bytes
     * @throws IOException naming the file and entry if it is missing or corrupt
     */
    public static byte[] read(ZipFile zip, Path file, String entry) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new IOException(file + ": not an eseg model file or training checkpoint (no " + entry + ")");
        }
        return ZipEntries.readChecked(zip, file, e);
    }
}
