package org.eseg.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads zip entries checked against the CRC-32 and size the zip records for each. {@link ZipFile} itself checks
 * neither, so a flipped bit inside stored weights would otherwise load as a different model without a word.
 */
public final class ZipEntries {

    private ZipEntries() {}

    /**
     * Reads one entry whole and checks it.
     *
     * @param zip the open file
     * @param file its path, for messages
     * @param entry an entry of {@code zip}
     * @return its bytes
     * @throws IOException {@code "<file>: damaged (checksum mismatch in entry X); ..."} when the content does not
     *     match, or {@code "<file>: damaged (entry X cannot be decompressed: ...)"}
     */
    public static byte[] readChecked(ZipFile zip, Path file, ZipEntry entry) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw damaged(file, "entry " + entry.getName() + " cannot be decompressed: " + e.getMessage(), e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        boolean sizeOk = entry.getSize() < 0 || entry.getSize() == bytes.length;
        boolean crcOk = entry.getCrc() < 0 || entry.getCrc() == crc.getValue();
        if (!sizeOk || !crcOk) {
            throw damaged(file, "checksum mismatch in entry " + entry.getName(), null);
        }
        return bytes;
    }

    private static IOException damaged(Path file, String what, Exception cause) {
        return new IOException(file + ": damaged (" + what + "); restore it from a copy or write it again", cause);
    }
}
