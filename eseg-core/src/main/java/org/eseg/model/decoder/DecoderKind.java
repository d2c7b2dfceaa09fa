package org.eseg.model.decoder;

import ai.djl.nn.Block;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;

/** The feature-fusion network between encoder and head, and how to build each. */
public enum DecoderKind {
    /** EfficientDet's bi-directional FPN with fast normalized fusion (the paper's choice). */
    BIFPN {
        @Override
        public Block build(int minLevel, int levels, DecoderConfig config, Act act, BatchNormSpec bn) {
            return new BiFpnDecoder(minLevel, levels, config, act, bn);
        }
    },
    /** A top-down FPN over the same levels (the paper's Table 2 ablation). */
    FPN {
        @Override
        public Block build(int minLevel, int levels, DecoderConfig config, Act act, BatchNormSpec bn) {
            return new FpnDecoder(minLevel, levels, config, act, bn);
        }
    };

    /**
     * Builds a decoder of this kind: L maps (any channels) in, L maps of the decoder width out, at the same
     * sizes. The block also describes its inference ({@link org.eseg.graph.CompilableBlock}).
     *
     * @param minLevel the lowest level
     * @param levels the number of levels L
     * @param config width and repeats
     * @param act activation
     * @param bn BatchNorm settings
     * @return the uninitialised decoder
     */
    public abstract Block build(int minLevel, int levels, DecoderConfig config, Act act, BatchNormSpec bn);
}
