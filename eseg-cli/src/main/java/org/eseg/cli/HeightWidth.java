package org.eseg.cli;

/**
 * A size given on the command line as {@code HxW} (rows × columns), e.g. {@code 256x512}.
 *
 * @param height rows
 * @param width columns
 */
record HeightWidth(int height, int width) {

    /**
     * Parses {@code HxW}.
     *
     * @param text the argument
     * @param option the option name, for the message
     * @return the size
     * @throws IllegalArgumentException if malformed
     */
    static HeightWidth parse(String text, String option) {
        String[] p = text.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int h = Integer.parseInt(p[0].strip());
                int w = Integer.parseInt(p[1].strip());
                if (h > 0 && w > 0) {
                    return new HeightWidth(h, w);
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(option + " must be HxW with positive integers (e.g. 256x512), got '"
                + text + "'");
    }
}
