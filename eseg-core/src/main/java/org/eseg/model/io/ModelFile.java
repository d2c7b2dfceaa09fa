package org.eseg.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import org.eseg.util.Tensors;

/**
 * A saved ESeg model: one zip file holding {@code config.json} (the architecture) and
 * {@code weights.ndlist} (every parameter and BatchNorm statistic, keyed by {@link ParameterNames}), so
 * that loading needs no other information. Written atomically; a truncated file fails to open with an
 * error naming it.
 */
public final class ModelFile {

    /** The zip entry holding the configuration. */
    public static final String CONFIG_ENTRY = "config.json";
    /** The zip entry holding the weights. */
    public static final String WEIGHTS_ENTRY = "weights.ndlist";
    /** The name of the newest checkpoint in a training run folder. */
    public static final String LATEST = "latest.eseg";
    /** The spatial size a loaded model is initialised at (any size works afterwards). */
    private static final Shape INIT_SHAPE = new Shape(1, 3, 64, 64);

    private ModelFile() {}

    /**
     * Saves a model.
     *
     * @param model an initialised model
     * @param file the target file (replaced atomically)
     * @throws IOException if it cannot be written
     */
    public static void save(EsegModel model, Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(CONFIG_ENTRY, model.config().toJson().getBytes(StandardCharsets.UTF_8));
        entries.put(WEIGHTS_ENTRY, encode(model));
        writeZip(file, entries);
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
     * A model or checkpoint file, or a training run folder meaning its latest checkpoint.
     *
     * @param path a file or run folder
     * @return the file to read
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
     * Opens an eseg zip file (model, checkpoint or run folder).
     *
     * @param path the file or run folder
     * @return the open zip
     * @throws IOException naming the file if it is missing, truncated or not a zip
     */
    public static ZipFile open(Path path) throws IOException {
        Path file = resolve(path);
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
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new IOException(file + ": entry " + entry + " is corrupt (" + ex.getMessage() + ")", ex);
        }
    }
}
