package org.eseg.model.backbone;

/**
 * Where the encoder hands a feature map to the decoder.
 *
 * @param level pyramid level i: the map has stride 2^i (P1..P5 from the encoder)
 * @param channels channels of the map
 * @param stage 1-based index of the stage whose output it is
 */
public record FeatureTap(int level, int channels, int stage) {}
