package org.eseg.model.backbone;

/**
 * One stage of the EfficientNet table, before width/depth scaling.
 *
 * @param kernel kernel size of the spatial convolution
 * @param repeats number of blocks (scaled by depth)
 * @param stride stride of the stage's first block
 * @param expand expansion ratio of the hidden width
 * @param outChannels output channels (scaled by width)
 */
public record StageSpec(int kernel, int repeats, int stride, int expand, int outChannels) {

    /**
     * EfficientNet-B0's seven stages (Tan &amp; Le 2019, Table 1): every variant of the family scales these.
     */
    public static final java.util.List<StageSpec> EFFICIENTNET_B0 =
            java.util.List.of(
                    new StageSpec(3, 1, 1, 1, 16),
                    new StageSpec(3, 2, 2, 6, 24),
                    new StageSpec(5, 2, 2, 6, 40),
                    new StageSpec(3, 3, 2, 6, 80),
                    new StageSpec(5, 3, 1, 6, 112),
                    new StageSpec(5, 4, 2, 6, 192),
                    new StageSpec(3, 1, 1, 6, 320));

    /** Output channels of the stem convolution before scaling. */
    public static final int STEM_CHANNELS = 32;
}
