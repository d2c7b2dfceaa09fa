package org.eseg.model.backbone;

import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.SqueezeExcite;

/**
 * Fused-MBConv (EfficientNet-EdgeTPU / V2): a k×k convolution with the block's stride expands to
 * in·e channels (BN, act), then a 1×1 projection (BN, no act); with e = 1 a single k×k convolution
 * (BN, act). Residual with drop-path when the shape is kept. SE is optional (the Lite models use none).
 *
 * <p>Shape: (N, C_in, H, W) → (N, C_out, ceil(H/s), ceil(W/s)). Children: {@code conv_exp}, {@code se}
 * (if any), {@code conv_pwl} when expanding; {@code conv} alone when e = 1.
 */
public final class FusedMBConv extends InvertedResidual {

    /**
     * Creates the block.
     *
     * @param args decoded block arguments
     */
    public FusedMBConv(BlockArgs args) {
        super(args);
        ConvBnAct.Builder spatial = ConvBnAct.builder()
                .optKernel(args.kernel())
                .optStride(args.stride())
                .optDilation(args.dilation())
                .optAct(args.act())
                .optBatchNorm(args.bn());
        if (args.expand() == 1) {
            add("conv", spatial.setOutChannels(args.outChannels()).build());
            return;
        }
        int hidden = args.hiddenChannels();
        add("conv_exp", spatial.setOutChannels(hidden).build());
        if (args.squeezeChannels() > 0) {
            add("se", new SqueezeExcite(hidden, args.squeezeChannels(), args.act()));
        }
        add("conv_pwl", ConvBnAct.builder()
                .setOutChannels(args.outChannels()).optBatchNorm(args.bn()).build());
    }
}
