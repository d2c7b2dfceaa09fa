package org.eseg.model.pretrained;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eseg.model.backbone.BackboneConfig;

/**
 * How a pretrained EfficientNet names its tensors: torchvision's {@code efficientnet_bN} or timm's
 * {@code efficientnet_bN}. Each layout maps the parts of our encoder (stem, and per block
 * {@code conv_pw}, {@code conv_dw}, {@code se}, {@code conv_pwl}) to its own names.
 */
public enum WeightLayout {

    /** torchvision: {@code features.0.0.weight}, {@code features.{s}.{j}.block.{k}.{0|1}.*}, SE {@code fc1/fc2}. */
    TORCHVISION(Pattern.compile("^features\\.(\\d+)\\.(\\d+)\\.block\\."), 0,
            List.of("features.8.", "classifier."), "features.0.0.weight") {
        @Override
        String stem(String module, String leaf) {
            return module.equals("conv") ? "features.0.0." + leaf : "features.0.1." + bnLeaf(leaf);
        }

        @Override
        String block(int stage, int index, boolean expands, String part, String module, String leaf) {
            String prefix = "features." + stage + "." + index + ".block.";
            int k = switch (part) {
                case "conv_pw" -> 0;
                case "conv_dw" -> expands ? 1 : 0;
                case "se" -> expands ? 2 : 1;
                case "conv_pwl" -> expands ? 3 : 2;
                default -> throw new IllegalArgumentException("unknown block part " + part);
            };
            if (part.equals("se")) {
                return prefix + k + "." + (module.equals("conv_reduce") ? "fc1." : "fc2.") + leaf;
            }
            return prefix + k + (module.equals("conv") ? ".0." + leaf : ".1." + bnLeaf(leaf));
        }
    },

    /** timm: {@code conv_stem}, {@code bn1}, {@code blocks.{s}.{j}.conv_pw/conv_dw/conv_pwl/bn1/bn2/bn3/se.*}. */
    TIMM(Pattern.compile("^blocks\\.(\\d+)\\.(\\d+)\\."), 1,
            List.of("conv_head.", "bn2.", "classifier."), "conv_stem.weight") {
        @Override
        String stem(String module, String leaf) {
            return module.equals("conv") ? "conv_stem." + leaf : "bn1." + bnLeaf(leaf);
        }

        @Override
        String block(int stage, int index, boolean expands, String part, String module, String leaf) {
            String prefix = "blocks." + (stage - 1) + "." + index + ".";
            if (part.equals("se")) {
                return prefix + "se." + module + "." + leaf;
            }
            // timm's stage-0 DepthwiseSeparableConv has no expansion: conv_dw/bn1 then conv_pw/bn2.
            String[] convBn = switch (part) {
                case "conv_pw" -> new String[] {"conv_pw", "bn1"};
                case "conv_dw" -> new String[] {"conv_dw", expands ? "bn2" : "bn1"};
                case "conv_pwl" -> expands ? new String[] {"conv_pwl", "bn3"} : new String[] {"conv_pw", "bn2"};
                default -> throw new IllegalArgumentException("unknown block part " + part);
            };
            return prefix + (module.equals("conv") ? convBn[0] + "." + leaf : convBn[1] + "." + bnLeaf(leaf));
        }
    };

    private final Pattern blockPattern;
    private final int stageOffset;
    private final List<String> headPrefixes;
    private final String stemWeight;

    WeightLayout(Pattern blockPattern, int stageOffset, List<String> headPrefixes, String stemWeight) {
        this.blockPattern = blockPattern;
        this.stageOffset = stageOffset;
        this.headPrefixes = headPrefixes;
        this.stemWeight = stemWeight;
    }

    /**
     * The source name of a stem tensor.
     *
     * @param module {@code conv} or {@code bn}
     * @param leaf our parameter name ({@code weight}, {@code gamma}, {@code runningMean} ...)
     * @return the source name
     */
    abstract String stem(String module, String leaf);

    /**
     * The source name of a block tensor.
     *
     * @param stage our stage number, 1..7
     * @param index block index within the stage
     * @param expands whether the block has a 1×1 expansion ({@code conv_pw})
     * @param part {@code conv_pw}, {@code conv_dw}, {@code se} or {@code conv_pwl}
     * @param module {@code conv}/{@code bn}, or {@code conv_reduce}/{@code conv_expand} in {@code se}
     * @param leaf our parameter name
     * @return the source name
     */
    abstract String block(int stage, int index, boolean expands, String part, String module, String leaf);

    /**
     * Whether a source tensor belongs to the parts a segmentation encoder leaves out: the 1×1 head conv to
     * 1280 channels with its BN, and the classifier.
     *
     * @param sourceName a tensor name
     * @return true for head and classifier tensors
     */
    boolean isHeadOrClassifier(String sourceName) {
        return headPrefixes.stream().anyMatch(sourceName::startsWith);
    }

    /**
     * Whether a file's names look like this layout.
     *
     * @param names the file's tensor names
     * @return true if the stem convolution is there under this layout's name
     */
    boolean recognises(Set<String> names) {
        return names.contains(stemWeight);
    }

    /**
     * Blocks per stage in a file, from its block tensor names.
     *
     * @param names the file's tensor names
     * @return block counts of stages 1, 2, ...
     */
    int[] blockCounts(Set<String> names) {
        int[] counts = new int[16];
        int stages = 0;
        for (String n : names) {
            Matcher m = blockPattern.matcher(n);
            if (m.find()) {
                int stage = Integer.parseInt(m.group(1)) + stageOffset;
                if (stage >= 1 && stage < counts.length) {
                    counts[stage] = Math.max(counts[stage], Integer.parseInt(m.group(2)) + 1);
                    stages = Math.max(stages, stage);
                }
            }
        }
        return java.util.Arrays.copyOfRange(counts, 1, stages + 1);
    }

    /**
     * The BatchNorm eps this layout's models were trained with: timm's {@code efficientnet_bN} and torchvision's
     * B0-B4 use PyTorch's 1e-5; torchvision's B5-B7 were ported from TensorFlow and use 1e-3.
     *
     * @param backbone the backbone
     * @return eps
     */
    public double defaultBatchNormEps(BackboneConfig backbone) {
        boolean tfPort = this == TORCHVISION && backbone.name().matches("efficientnet-b[5-7]");
        return tfPort ? 1e-3 : 1e-5;
    }

    /** A BatchNorm parameter's PyTorch name: gamma → weight, beta → bias, runningMean → running_mean, ... */
    static String bnLeaf(String leaf) {
        return switch (leaf) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> throw new IllegalArgumentException("unknown BatchNorm parameter " + leaf);
        };
    }
}
