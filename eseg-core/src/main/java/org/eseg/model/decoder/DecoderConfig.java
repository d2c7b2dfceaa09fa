package org.eseg.model.decoder;

/**
 * What decoder to build.
 *
 * @param kind BiFPN or FPN
 * @param width channels W of every level inside the decoder
 * @param repeats number of stacked BiFPN layers (FPN has one top-down pass and ignores it)
 */
public record DecoderConfig(DecoderKind kind, int width, int repeats) {

    /** Validates the fields. */
    public DecoderConfig {
        if (kind == null) {
            throw new IllegalArgumentException("decoder kind is required (bifpn, fpn, deeplabv3plus or deeplabv3plus_noatrous)");
        }
        if (width < 1) {
            throw new IllegalArgumentException("decoder width must be >= 1, got " + width);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("decoder repeats must be >= 1, got " + repeats);
        }
    }
}
