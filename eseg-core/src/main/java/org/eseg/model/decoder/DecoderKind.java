package org.eseg.model.decoder;

/** The feature-fusion network between encoder and head. */
public enum DecoderKind {
    /** EfficientDet's bi-directional FPN with fast normalized fusion (the paper's choice). */
    BIFPN,
    /** A top-down FPN over the same levels (the paper's Table 2 ablation). */
    FPN
}
