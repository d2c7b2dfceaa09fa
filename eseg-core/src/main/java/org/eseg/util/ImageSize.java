package org.eseg.util;

/**
 * A height × width pair, written {@code HxW} on the command line (e.g. {@code 1024x2048}).
 *
 * @param height rows, &gt; 0
 * @param width columns, &gt; 0
 */
public record ImageSize(int height, int width) {

    /** Validates the size. */
    public ImageSize {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "size must have positive height and width, got " + height + "x" + width);
        }
    }

    /**
     * Parses {@code HxW}.
     *
     * @param text e.g. {@code 512x1024}
     * @return the size
     * @throws IllegalArgumentException if the text is not two positive integers joined by x
     */
    public static ImageSize parse(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length == 2) {
            try {
                return new ImageSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(
                "expected HxW with positive integers (e.g. 512x1024), got '" + text + "'");
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
