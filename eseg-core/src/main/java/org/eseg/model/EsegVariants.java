package org.eseg.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.decoder.DecoderConfig;
import org.eseg.model.decoder.DecoderKind;
import org.eseg.model.layers.BatchNormSpec;

/**
 * The named ESeg models of the paper's Table 3 (widths, depths, BiFPN width × repeats, base level), as
 * pinned by docs/design.md section 1, and the encoder/decoder ablations of its Table 8 (docs/design.md
 * section 7): ESeg-S's EfficientNet-B1 under DeepLabV3+, and ResNet-50 under the BiFPN or DeepLabV3+. All
 * default to 19 classes (Cityscapes); the BiFPN models fuse P2 (P3 for Lite) up to P9, DeepLabV3+ reads P2
 * and P5.
 */
public final class EsegVariants {

    /** Cityscapes' class count, the default. */
    public static final int DEFAULT_CLASSES = 19;

    /** DeepLabV3+ width over EfficientNet-B1: the DeepLabV3+ paper's 256 channels. */
    private static final int DEEPLAB_B1_WIDTH = 256;
    /** DeepLabV3+ width over ResNet-50, calibrated to Table 8's FLOPs (docs/design.md section 7). */
    private static final int DEEPLAB_R50_WIDTH = 304;

    private static final Map<String, EsegConfig> VARIANTS = new LinkedHashMap<>();

    static {
        lite("eseg-lite-s", 0.4, 0.6, 64, 1);
        lite("eseg-lite-m", 0.6, 1.0, 80, 2);
        lite("eseg-lite-l", 1.0, 1.0, 96, 3);
        standard("eseg-s", 1, 96, 4);
        standard("eseg-m", 4, 192, 5);
        standard("eseg-l", 7, 288, 6);
        // Table 8. The DeepLabV3+ widths are pinned in docs/design.md section 7.
        BackboneConfig b1 = BackboneConfig.efficientNet(1);
        BackboneConfig r50 = BackboneConfig.resnet50();
        deepLab("eseg-s-dlv3p", b1, DecoderKind.DEEPLABV3PLUS, DEEPLAB_B1_WIDTH, BatchNormSpec.EFFICIENTNET);
        deepLab("eseg-s-dlv3p-noatrous", b1, DecoderKind.DEEPLABV3PLUS_NOATROUS, DEEPLAB_B1_WIDTH,
                BatchNormSpec.EFFICIENTNET);
        VARIANTS.put("r50-bifpn", new EsegConfig("r50-bifpn", DEFAULT_CLASSES, 2, EsegConfig.HIGHEST_LEVEL, r50,
                VARIANTS.get("eseg-s").decoder(), BatchNormSpec.TORCHVISION));
        deepLab("r50-dlv3p", r50, DecoderKind.DEEPLABV3PLUS, DEEPLAB_R50_WIDTH, BatchNormSpec.TORCHVISION);
        deepLab("r50-dlv3p-noatrous", r50, DecoderKind.DEEPLABV3PLUS_NOATROUS, DEEPLAB_R50_WIDTH,
                BatchNormSpec.TORCHVISION);
    }

    private static void deepLab(String name, BackboneConfig backbone, DecoderKind kind, int width, BatchNormSpec bn) {
        VARIANTS.put(name, new EsegConfig(name, DEFAULT_CLASSES, 2, 5, backbone,
                new DecoderConfig(kind, width, 1), bn));
    }

    private EsegVariants() {}

    private static void lite(String name, double width, double depth, int bifpnWidth, int repeats) {
        BackboneConfig backbone = BackboneConfig.fused("fused-efficientnet-w" + width + "-d" + depth, width, depth);
        put(name, backbone, bifpnWidth, repeats, 3);
    }

    private static void standard(String name, int b, int bifpnWidth, int repeats) {
        put(name, BackboneConfig.efficientNet(b), bifpnWidth, repeats, 2);
    }

    private static void put(String name, BackboneConfig backbone, int width, int repeats, int minLevel) {
        VARIANTS.put(name, new EsegConfig(
                name, DEFAULT_CLASSES, minLevel, EsegConfig.HIGHEST_LEVEL, backbone,
                new DecoderConfig(DecoderKind.BIFPN, width, repeats), BatchNormSpec.EFFICIENTNET));
    }

    /**
     * The variant names, smallest first.
     *
     * @return names such as {@code eseg-lite-s}
     */
    public static List<String> names() {
        return List.copyOf(VARIANTS.keySet());
    }

    /**
     * A variant's configuration.
     *
     * @param name a variant name (case-insensitive)
     * @return its configuration
     * @throws IllegalArgumentException listing the known names
     */
    public static EsegConfig byName(String name) {
        EsegConfig c = name == null ? null : VARIANTS.get(name.trim().toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new IllegalArgumentException(
                    "unknown model '" + name + "'; known models: " + String.join(", ", names()));
        }
        return c;
    }
}
