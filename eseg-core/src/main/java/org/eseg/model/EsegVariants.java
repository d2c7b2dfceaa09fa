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
 * pinned by docs/design.md section 1. All default to 19 classes (Cityscapes) and BiFPN up to P9.
 */
public final class EsegVariants {

    /** Cityscapes' class count, the default. */
    public static final int DEFAULT_CLASSES = 19;

    private static final Map<String, EsegConfig> VARIANTS = new LinkedHashMap<>();

    static {
        lite("eseg-lite-s", 0.4, 0.6, 64, 1);
        lite("eseg-lite-m", 0.6, 1.0, 80, 2);
        lite("eseg-lite-l", 1.0, 1.0, 96, 3);
        standard("eseg-s", 1, 96, 4);
        standard("eseg-m", 4, 192, 5);
        standard("eseg-l", 7, 288, 6);
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
