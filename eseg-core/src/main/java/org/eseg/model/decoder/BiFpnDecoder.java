package org.eseg.model.decoder;

import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.NamedSequential;

/**
 * The ESeg decoder: lateral projections to width W, then {@code repeats} BiFPN layers, each with its own
 * weights.
 *
 * <p>Shape: L maps (any channels) → L maps of W channels, same spatial sizes. Children:
 * {@code lateral}, {@code layer0} .. {@code layer<R-1>}.
 */
public final class BiFpnDecoder extends NamedSequential {

    /**
     * Creates the decoder.
     *
     * @param minLevel the lowest level
     * @param levels the number of levels L
     * @param config width and repeats
     * @param act node activation
     * @param bn BatchNorm settings
     */
    public BiFpnDecoder(int minLevel, int levels, DecoderConfig config, Act act, BatchNormSpec bn) {
        add("lateral", new LateralProjection(minLevel, levels, config.width(), bn));
        for (int r = 0; r < config.repeats(); r++) {
            add("layer" + r, new BiFpnLayer(minLevel, levels, config.width(), act, bn));
        }
    }
}
