package org.eseg.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.eseg.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header size check that runs before any image is decoded. */
class PixelLimitTest {

    @TempDir
    Path dir;

    /** A PNG of only a signature, an IHDR stating the size (1-bit grayscale) and IEND: a header and no pixels. */
    static void writeHeaderOnlyPng(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {1, 0, 0, 0, 0}); // bit depth 1, grayscale, deflate, no filter, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IEND", new byte[0]);
        Files.write(file, bytes.toByteArray());
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void a60000x60000PngIsRefusedAsTooLargeNotAsCorrupt() throws IOException {
        Path png = dir.resolve("huge.png");
        writeHeaderOnlyPng(png, 60000, 60000);
        DataException e = assertThrows(DataException.class, () -> ImageFiles.readRgb(png));
        assertEquals(png, e.file());
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
        assertTrue(e.getMessage().contains("3600.0 megapixels"), e.getMessage());
        assertTrue(e.getMessage().contains("limit of 64.0 megapixels"), e.getMessage());
        assertFalse(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aPngAndAJpegAboveAGivenLimitAreRefusedAndAtTheLimitRead() throws IOException {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (String format : new String[] {"png", "jpg"}) {
            Path file = dir.resolve("small." + format);
            ImageIO.write(img, format, file.toFile());
            try (PixelLimit.Restore r = PixelLimit.set(40 * 30 - 1)) {
                DataException e = assertThrows(DataException.class, () -> ImageFiles.readRgb(file));
                assertTrue(e.getMessage().contains("image too large: 40x30 (WxH) is 1200 pixels, above the limit"
                        + " of 1199 pixels"), e.getMessage());
            }
            try (PixelLimit.Restore r = PixelLimit.set(40 * 30)) {
                assertEquals(30, ImageFiles.readRgb(file).height());
                assertEquals(30, RawMask.read(file).height());
            }
        }
        assertEquals(PixelLimit.DEFAULT, PixelLimit.max(), "closing restores the previous limit");
    }

    @Test
    void aLimitBelowOnePixelIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PixelLimit.set(0));
        assertEquals(PixelLimit.DEFAULT, PixelLimit.max());
    }
}
