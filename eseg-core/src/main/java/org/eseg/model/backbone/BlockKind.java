package org.eseg.model.backbone;

/** The residual block an encoder is made of. */
public enum BlockKind {
    /** EfficientNet's MBConv: 1×1 expand, depthwise k×k, squeeze-excitation, 1×1 project. */
    MBCONV,
    /** EfficientNet-EdgeTPU / V2 Fused-MBConv: one k×k expand convolution, 1×1 project. */
    FUSED_MBCONV,
    /** ResNet's bottleneck: 1×1 reduce, 3×3, 1×1 expand to 4× (torchvision's layout; ResNet-50). */
    BOTTLENECK
}
