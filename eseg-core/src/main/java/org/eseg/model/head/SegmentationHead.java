package org.eseg.model.head;

import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.eseg.graph.GraphBuilder;
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

    private final LevelFusion fusion;
    private final SeparableConv conv;
    private final BatchNorm bn;
    private final double bnEps;
    private final ActivationBlock act;
    private final Conv2d classifier;

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
        fusion = new LevelFusion(levels);
        conv = new SeparableConv(width, width, 3);
        this.bn = bn.build();
        bnEps = bn.eps();
        this.act = new ActivationBlock(act);
        classifier = Convs.pointwise(classes, true);
        add("fusion", fusion);
        add("conv", conv);
        add("bn", this.bn);
        add("act", this.act);
        add("classifier", classifier);
    }

    /**
     * The parameters that depend on the class count: a model trained for other classes keeps everything but
     * these (fine-tuning re-initialises them).
     *
     * @return the classifier's weight and bias
     */
    public List<Parameter> classifierParameters() {
        return classifier.getParameters().values();
    }

    /** The chain, with the BatchNorm folded into the separable convolution's pointwise step. */
    @Override
    public int[] compile(GraphBuilder g, int... features) {
        int x = fusion.compile(g, features)[0];
        x = g.compileOne(act, conv.compile(g, x, bn, bnEps));
        return new int[] {g.conv(x, classifier)};
    }
}
