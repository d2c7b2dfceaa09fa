package org.eseg.model.backbone;

import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.SqueezeExcite;

/**
 * EfficientNet's MBConv (inverted residual): 1×1 expand (skipped when expand = 1), depthwise k×k with the
 * block's stride, squeeze-excitation, 1×1 linear projection; residual with drop-path when the shape is kept.
 *
 * <p>Shape: (N, C_in, H, W) → (N, C_out, ceil(H/s), ceil(W/s)). Children: {@code conv_pw} (if expanding),
 * {@code conv_dw}, {@code se} (if any), {@code conv_pwl}.
 */
public final class MBConv extends InvertedResidual {

    /**
     * Creates the block.
     *
     * @param args decoded block arguments
     */
    public MBConv(BlockArgs args) {
        super(args);
        int hidden = args.hiddenChannels();
        if (args.expand() != 1) {
            add("conv_pw", ConvBnAct.builder()
                    .setOutChannels(hidden).optAct(args.act()).optBatchNorm(args.bn()).build());
        }
        add("conv_dw", ConvBnAct.builder()
                .setOutChannels(hidden)
                .optKernel(args.kernel())
                .optStride(args.stride())
                .optDilation(args.dilation())
                .optDepthwise()
                .optAct(args.act())
                .optBatchNorm(args.bn())
                .build());
        if (args.squeezeChannels() > 0) {
            add("se", new SqueezeExcite(hidden, args.squeezeChannels(), args.act()));
        }
        add("conv_pwl", ConvBnAct.builder()
                .setOutChannels(args.outChannels()).optBatchNorm(args.bn()).build());
    }
}
