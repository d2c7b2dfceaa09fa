package org.eseg.model.layers;

import ai.djl.nn.norm.BatchNorm;

/**
 * BatchNorm settings shared by a whole model.
 *
 * @param eps added to the variance; EfficientNet uses 1e-3 (TF), torchvision 1e-5
 * @param momentum PyTorch-style momentum (weight of the new batch statistic), e.g. 0.01
 */
public record BatchNormSpec(double eps, double momentum) {

    /** EfficientNet's defaults (docs/design.md section 1): eps 1e-3, PyTorch momentum 0.01. */
    public static final BatchNormSpec EFFICIENTNET = new BatchNormSpec(1e-3, 0.01);

    /** torchvision's defaults (ResNet-50, docs/design.md section 7): eps 1e-5, momentum 0.1. */
    public static final BatchNormSpec TORCHVISION = new BatchNormSpec(1e-5, 0.1);

    /** Validates the ranges. */
    public BatchNormSpec {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm eps must be > 0, got " + eps);
        }
        if (!(momentum > 0 && momentum < 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in (0, 1), got " + momentum);
        }
    }

    /**
     * Builds a BatchNorm over the channel axis.
     *
     * @return a new block
     */
    public BatchNorm build() {
        // DJL's momentum is MXNet-style: the weight of the old running value.
        return BatchNorm.builder().optEpsilon((float) eps).optMomentum((float) (1 - momentum)).build();
    }
}
