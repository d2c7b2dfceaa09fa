package org.eseg.util.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive, the zip file {@code torch.jit.load} reads: one module class given as source, its
 * object pickled with its float tensor attributes, and each tensor's bytes.
 */
public final class TorchScriptArchive {

    /** The archive's file-format version: 3 is what libtorch writes when no op needs an upgrader. */
    private static final String FORMAT_VERSION = "3";

    private TorchScriptArchive() {}

    /**
     * The archive of one module.
     *
     * @param root the archive's top folder
     * @param className the module class, unqualified (its source defines {@code __torch__.<className>})
     * @param source the code of {@code code/__torch__.py}
     * @param tensors the module's tensor attributes, in the order the source declares them
     * @param data each storage key's values
     * @return the archive bytes
     */
    public static byte[] write(String root, String className, String source, List<ModulePickle.TensorRef> tensors,
            Map<String, float[]> data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String dir = root + "/";
            stored(zip, dir + "version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, dir + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(zip, dir + "data.pkl", ModulePickle.module("__torch__." + className, tensors));
            stored(zip, dir + "constants.pkl", ModulePickle.emptyTuple());
            stored(zip, dir + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, float[]> e : data.entrySet()) {
                stored(zip, dir + "data/" + e.getKey(), littleEndian(e.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** libtorch's reader takes stored entries without data descriptors, as torch.jit.save writes them. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }
}
