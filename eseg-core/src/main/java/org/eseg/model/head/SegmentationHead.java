package org.eseg.model.head;

import org.eseg.model.layers.Act;
import org.eseg.model.layers.ActivationBlock;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.Convs;
import org.eseg.model.layers.NamedSequential;
import org.eseg.model.layers.SeparableConv;

/**
 * The prediction head at the base level: level fusion, a separable 3×3 convolution (W→W), BN, activation
 * and a 1×1 classifier with bias. It returns logits at the base level; the model upsamples them.
 *
 * <p>Shape: L maps of W channels → (N, classes, h_min, w_min). Children: {@code fusion}, {@code conv},
 * {@code bn}, {@code act}, {@code classifier}.
 */
public final class SegmentationHead extends NamedSequential {

    /**
     * Creates the head.
     *
     * @param levels number of decoder levels L
     * @param width channels W
     * @param classes number of classes
     * @param act activation
     * @param bn BatchNorm settings
     */
    public SegmentationHead(int levels, int width, int classes, Act act, BatchNormSpec bn) {
        add("fusion", new LevelFusion(levels));
        add("conv", new SeparableConv(width, width, 3));
        add("bn", bn.build());
        add("act", new ActivationBlock(act));
        add("classifier", Convs.pointwise(classes, true));
    }
}
