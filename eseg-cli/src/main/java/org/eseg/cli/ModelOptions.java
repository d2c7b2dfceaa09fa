package org.eseg.cli;

import org.eseg.model.EsegConfig;
import org.eseg.model.EsegVariants;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.decoder.DecoderKind;
import picocli.CommandLine.Option;

/** The options that choose a model architecture, shared by the commands that build one. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "Model variant: eseg-lite-s, eseg-lite-m, eseg-lite-l, eseg-s, eseg-m, eseg-l.")
    String model;

    @Option(names = "--backbone", paramLabel = "NAME",
            description = "Replace the variant's encoder by an EfficientNet: efficientnet-b0 .. efficientnet-b7.")
    String backbone;

    @Option(names = "--min-level", paramLabel = "N",
            description = "Base level the head predicts at, 2..9 (default: the variant's).")
    Integer minLevel;

    @Option(names = "--max-level", paramLabel = "N",
            description = "Highest pyramid level, 2..9 (default: the variant's, 9).")
    Integer maxLevel;

    @Option(names = "--decoder", paramLabel = "KIND",
            description = "Decoder: ${COMPLETION-CANDIDATES} (default: bifpn).")
    DecoderKind decoder;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes (default: 19).")
    Integer classes;

    /** The configuration these options describe; throws IllegalArgumentException naming the bad option. */
    EsegConfig toConfig() {
        EsegConfig c = EsegVariants.byName(model);
        if (backbone != null) {
            c = c.withBackbone(BackboneConfig.byName(backbone));
        }
        int min = minLevel != null ? minLevel : c.minLevel();
        int max = maxLevel != null ? maxLevel : c.maxLevel();
        checkLevel("--min-level", min);
        checkLevel("--max-level", max);
        if (min > max) {
            throw new IllegalArgumentException(
                    "--min-level " + min + " is above --max-level " + max);
        }
        c = c.withLevels(min, max);
        if (decoder != null) {
            c = c.withDecoderKind(decoder);
        }
        if (classes != null) {
            if (classes < 1) {
                throw new IllegalArgumentException("--classes must be >= 1, got " + classes);
            }
            c = c.withClasses(classes);
        }
        return c;
    }

    private static void checkLevel(String option, int level) {
        if (level < EsegConfig.LOWEST_LEVEL || level > EsegConfig.HIGHEST_LEVEL) {
            throw new IllegalArgumentException(option + " must be in " + EsegConfig.LOWEST_LEVEL + ".."
                    + EsegConfig.HIGHEST_LEVEL + ", got " + level);
        }
    }
}
