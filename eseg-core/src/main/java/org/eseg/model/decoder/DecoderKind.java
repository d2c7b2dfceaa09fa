package org.eseg.model.decoder;

import ai.djl.nn.Block;
import org.eseg.model.backbone.Encoder;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;

/** The feature-fusion network between encoder and head, and how to build each. */
public enum DecoderKind {
    /** EfficientDet's bi-directional FPN with fast normalized fusion (the paper's choice). */
    BIFPN {
        @Override
        public Block build(int minLevel, int[] inChannels, DecoderConfig config, Act act, BatchNormSpec bn) {
            return new BiFpnDecoder(minLevel, inChannels.length, config, act, bn);
        }
    },
    /** A top-down FPN over the same levels (the paper's Table 2 ablation). */
    FPN {
        @Override
        public Block build(int minLevel, int[] inChannels, DecoderConfig config, Act act, BatchNormSpec bn) {
            return new FpnDecoder(minLevel, inChannels.length, config, act, bn);
        }
    },
    /**
     * DeepLabV3+ "with atrous" (Table 8): the encoder's last stride-2 stage dilated (output stride 16), ASPP
     * rates 6, 12, 18 (the DeepLabV3+ paper's rates at output stride 16).
     */
    DEEPLABV3PLUS {
        @Override
        public Block build(int minLevel, int[] inChannels, DecoderConfig config, Act act, BatchNormSpec bn) {
            return deepLab(minLevel, inChannels, config, act, bn, new int[] {6, 12, 18});
        }

        @Override
        public int outputStride() {
            return Encoder.ATROUS_STRIDE;
        }
    },
    /**
     * DeepLabV3+ "without atrous" (Table 8): the encoder keeps its strides (output stride 32), and the ASPP
     * rates are halved to 3, 6, 9 so that they span the same image distances as at output stride 16.
     */
    DEEPLABV3PLUS_NOATROUS {
        @Override
        public Block build(int minLevel, int[] inChannels, DecoderConfig config, Act act, BatchNormSpec bn) {
            return deepLab(minLevel, inChannels, config, act, bn, new int[] {3, 6, 9});
        }
    };

    /** The levels a DeepLabV3+ decoder reads: the stride-4 feature and the encoder's last (P5). */
    private static final int DEEPLAB_MIN_LEVEL = 2;
    private static final int DEEPLAB_MAX_LEVEL = 5;

    private static Block deepLab(int minLevel, int[] inChannels, DecoderConfig config, Act act, BatchNormSpec bn,
            int[] rates) {
        int maxLevel = minLevel + inChannels.length - 1;
        if (minLevel != DEEPLAB_MIN_LEVEL || maxLevel != DEEPLAB_MAX_LEVEL) {
            throw new IllegalArgumentException("the DeepLabV3+ decoder reads levels P2..P5, got P" + minLevel
                    + "..P" + maxLevel);
        }
        return new DeepLabV3PlusDecoder(inChannels, config.width(), rates, act, bn);
    }

    /**
     * Builds a decoder of this kind: L maps in, {@link #outputs(int)} maps of the decoder width out, the
     * lowest at the first input's size. The block also describes its inference
     * ({@link org.eseg.graph.CompilableBlock}).
     *
     * @param minLevel the lowest level
     * @param inChannels the channels of each input level (L values, lowest level first)
     * @param config width and repeats
     * @param act activation
     * @param bn BatchNorm settings
     * @return the uninitialised decoder
     */
    public abstract Block build(int minLevel, int[] inChannels, DecoderConfig config, Act act, BatchNormSpec bn);

    /**
     * The output stride the encoder under this decoder runs at.
     *
     * @return 32, or 16 for DeepLabV3+ with atrous convolutions
     */
    public int outputStride() {
        return Encoder.FULL_STRIDE;
    }

    /**
     * How many maps the decoder returns for L input levels (the prediction head fuses them).
     *
     * @param levels L
     * @return L for the pyramids, 1 for DeepLabV3+ (one map at the lowest level)
     */
    public int outputs(int levels) {
        return this == BIFPN || this == FPN ? levels : 1;
    }
}
