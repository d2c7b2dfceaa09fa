package org.eseg.model.backbone;

import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;

/**
 * Everything one inverted-residual block needs, decoded from a scaled {@link StageSpec}.
 *
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernel spatial kernel size
 * @param stride stride (the stage's first block only)
 * @param dilation tap spacing of the spatial convolution (above 1 where the encoder trades a stride for
 *     atrous convolutions)
 * @param expand expansion ratio
 * @param squeezeChannels SE bottleneck channels, 0 for no SE
 * @param act activation
 * @param dropPathRate this block's stochastic-depth rate
 * @param index the block's position in the encoder (salts its drop-path draws)
 * @param bn BatchNorm settings
 */
public record BlockArgs(
        int inChannels,
        int outChannels,
        int kernel,
        int stride,
        int dilation,
        int expand,
        int squeezeChannels,
        Act act,
        double dropPathRate,
        int index,
        BatchNormSpec bn) {

    /**
     * Whether the block adds its input back (only when the shape is unchanged).
     *
     * @return true for stride 1 and in = out
     */
    public boolean hasResidual() {
        return stride == 1 && inChannels == outChannels;
    }

    /**
     * The hidden (expanded) width.
     *
     * @return inChannels · expand
     */
    public int hiddenChannels() {
        return inChannels * expand;
    }
}
