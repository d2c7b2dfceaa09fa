package org.eseg.model.decoder;

import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.NamedSequential;

/**
 * The ablation decoder of the paper's Table 2: the same lateral projections as {@link BiFpnDecoder},
 * then one top-down FPN pass.
 *
 * <p>Shape: L maps (any channels) → L maps of W channels. Children: {@code lateral}, {@code fpn}.
 */
public final class FpnDecoder extends NamedSequential {

    /**
     * Creates the decoder.
     *
     * @param minLevel the lowest level
     * @param levels the number of levels L
     * @param config width (repeats is not used)
     * @param act activation
     * @param bn BatchNorm settings
     */
    public FpnDecoder(int minLevel, int levels, DecoderConfig config, Act act, BatchNormSpec bn) {
        add("lateral", new LateralProjection(minLevel, levels, config.width(), bn));
        add("fpn", new TopDownFpn(minLevel, levels, config.width(), act, bn));
    }
}
