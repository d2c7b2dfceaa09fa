package org.eseg.model.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file (as written by {@code safetensors.torch.save_file}) into named arrays.
 *
 * <p>DJL's {@link NDList#decode} understands the format (F32/F16/I64 tensors, 0-d tensors and the
 * {@code __metadata__} entry included); this class adds what a user needs when a file is wrong: every error
 * names the file.
 */
public final class SafetensorsReader {

    /** DJL decodes from one byte array, so it cannot read more. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private SafetensorsReader() {}

    /**
     * Reads every tensor of a file.
     *
     * @param file a {@code .safetensors} file
     * @param manager owns the returned arrays
     * @return tensor name → array, in file order
     * @throws IOException if the file is missing, too large, truncated or not safetensors; the message names it
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "weights file not found");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + ": larger than 2 GB, which DJL cannot decode in one piece");
        }
        byte[] bytes = Files.readAllBytes(file);
        NDList list;
        try {
            list = NDList.decode(manager, bytes);
        } catch (RuntimeException e) {
            // DJL reports a short or garbled file as "Invalid NDArray input" without saying which.
            throw new IOException(file + ": not a safetensors file, or truncated (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            if (a.getName() == null || out.put(a.getName(), a) != null) {
                throw new IOException(file + ": tensor names are missing or repeated ('" + a.getName() + "')");
            }
        }
        return out;
    }
}
