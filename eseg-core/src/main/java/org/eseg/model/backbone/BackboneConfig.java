package org.eseg.model.backbone;

import java.util.List;
import java.util.Locale;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;

/**
 * What encoder to build: EfficientNet's stage table scaled by width and depth, made of MBConv or
 * Fused-MBConv blocks; or ResNet-50 (bottleneck blocks, width and depth 1).
 *
 * @param name a label for reports (e.g. {@code efficientnet-b1})
 * @param width channel multiplier
 * @param depth block-count multiplier
 * @param block the block kind
 * @param act activation
 * @param seRatio squeeze-excitation ratio of the block's input channels; 0 for none
 * @param dropPathRate stochastic-depth rate of the last block (earlier blocks scale linearly)
 */
public record BackboneConfig(
        String name,
        double width,
        double depth,
        BlockKind block,
        Act act,
        double seRatio,
        double dropPathRate) {

    /** EfficientNet-B0..B7 (width, depth) pairs, indexed by the B number. */
    private static final double[][] EFFICIENTNET_COEFFS = {
        {1.0, 1.0}, {1.0, 1.1}, {1.1, 1.2}, {1.2, 1.4}, {1.4, 1.8}, {1.6, 2.2}, {1.8, 2.6}, {2.0, 3.1}
    };

    /** The name of ResNet-50. */
    public static final String RESNET50 = "resnet-50";

    /** Validates the fields. */
    public BackboneConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("backbone name must not be empty");
        }
        new Scaling(width, depth); // validates
        if (block == null || act == null) {
            throw new IllegalArgumentException("backbone block kind and activation are required");
        }
        if (seRatio < 0 || seRatio >= 1) {
            throw new IllegalArgumentException("seRatio must be in [0, 1), got " + seRatio);
        }
        if (dropPathRate < 0 || dropPathRate >= 1) {
            throw new IllegalArgumentException("dropPathRate must be in [0, 1), got " + dropPathRate);
        }
    }

    /**
     * The standard EfficientNet backbone: MBConv, SiLU, SE 0.25, drop-path 0.2.
     *
     * @param b 0..7
     * @return the configuration named {@code efficientnet-bN}
     */
    public static BackboneConfig efficientNet(int b) {
        if (b < 0 || b >= EFFICIENTNET_COEFFS.length) {
            throw new IllegalArgumentException("EfficientNet variant must be B0..B7, got B" + b);
        }
        double[] wd = EFFICIENTNET_COEFFS[b];
        return new BackboneConfig(
                "efficientnet-b" + b, wd[0], wd[1], BlockKind.MBCONV, Act.SILU, 0.25, 0.2);
    }

    /**
     * An EfficientNet backbone by name, {@code efficientnet-b0} .. {@code efficientnet-b7}.
     *
     * @param name the name (case-insensitive; {@code b3} is accepted too)
     * @return the configuration
     * @throws IllegalArgumentException naming the known backbones
     */
    public static BackboneConfig byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals(RESNET50) || n.equals("resnet50")) {
            return resnet50();
        }
        if (n.startsWith("efficientnet-")) {
            n = n.substring("efficientnet-".length());
        }
        if (n.length() == 2 && n.charAt(0) == 'b' && Character.isDigit(n.charAt(1))) {
            int b = n.charAt(1) - '0';
            if (b < EFFICIENTNET_COEFFS.length) {
                return efficientNet(b);
            }
        }
        throw new IllegalArgumentException(
                "unknown backbone '" + name + "'; known: " + String.join(", ", knownNames()));
    }

    /**
     * The backbone names {@link #byName} accepts.
     *
     * @return efficientnet-b0 .. efficientnet-b7, resnet-50
     */
    public static List<String> knownNames() {
        return java.util.stream.Stream.concat(java.util.stream.IntStream.range(0, EFFICIENTNET_COEFFS.length)
                .mapToObj(i -> "efficientnet-b" + i), java.util.stream.Stream.of(RESNET50))
                .toList();
    }

    /**
     * torchvision's ResNet-50 (docs/design.md section 7): bottleneck blocks, ReLU, no SE, no stochastic depth.
     *
     * @return the configuration named {@code resnet-50}
     */
    public static BackboneConfig resnet50() {
        return new BackboneConfig(RESNET50, 1.0, 1.0, BlockKind.BOTTLENECK, Act.RELU, 0, 0);
    }

    /**
     * Builds the encoder this configuration describes.
     *
     * @param bn BatchNorm settings
     * @param lastLevel the deepest level the model needs
     * @param outputStride 32, or 16 for DeepLab's atrous encoder
     * @return the uninitialised encoder
     */
    public Encoder build(BatchNormSpec bn, int lastLevel, int outputStride) {
        return block == BlockKind.BOTTLENECK
                ? new ResNetEncoder(bn, lastLevel, outputStride)
                : new EfficientNetEncoder(this, bn, lastLevel, outputStride);
    }

    /**
     * The Fused-MBConv backbone of the ESeg-Lite models: ReLU, no SE (docs/design.md section 1).
     *
     * @param name label
     * @param width channel multiplier
     * @param depth depth multiplier
     * @return the configuration
     */
    public static BackboneConfig fused(String name, double width, double depth) {
        return new BackboneConfig(name, width, depth, BlockKind.FUSED_MBCONV, Act.RELU, 0, 0.2);
    }

    /**
     * A copy with another stochastic-depth rate.
     *
     * @param rate the rate of the last block
     * @return the new configuration
     */
    public BackboneConfig withDropPath(double rate) {
        return new BackboneConfig(name, width, depth, block, act, seRatio, rate);
    }

    /**
     * The scaling rules for this backbone.
     *
     * @return width/depth scaling
     */
    public Scaling scaling() {
        return new Scaling(width, depth);
    }
}
