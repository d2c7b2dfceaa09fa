package org.eseg.cli;

import org.eseg.data.io.PixelLimit;
import picocli.CommandLine.Option;

/** {@code --max-pixels}: the largest image a command that reads images decodes. */
final class PixelLimitMixin {

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + PixelLimit.DEFAULT,
            description = {"Refuse images of more than N pixels (width x height, read from the file header before",
                "decoding; default ${DEFAULT-VALUE}: 64 megapixels fit the default heap)."})
    long maxPixels;

    /**
     * Applies the limit for the command's duration.
     *
     * @return closes to restore the previous limit
     */
    PixelLimit.Restore apply() {
        try {
            return PixelLimit.set(maxPixels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-pixels: " + e.getMessage(), e);
        }
    }
}
