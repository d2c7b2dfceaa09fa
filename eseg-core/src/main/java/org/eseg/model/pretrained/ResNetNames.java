package org.eseg.model.pretrained;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eseg.model.backbone.ResNetEncoder;
import org.eseg.model.io.ParameterNames;

/**
 * Maps every parameter of our {@link ResNetEncoder} to its name in torchvision's {@code resnet50} state dict:
 * {@code stem.conv} → {@code conv1}, {@code stem.bn} → {@code bn1}, {@code layerI.bJ.convK.conv/bn} →
 * {@code layerI.J.convK / bnK}, {@code layerI.bJ.downsample.conv/bn} → {@code layerI.J.downsample.0 / 1}.
 * The classifier ({@code fc.*}) is left out.
 */
final class ResNetNames {

    /** torchvision's classifier, which a segmentation encoder leaves out. */
    static final String CLASSIFIER_PREFIX = "fc.";
    /** The stem convolution, the tensor that identifies a torchvision ResNet. */
    static final String STEM_WEIGHT = "conv1.weight";

    private static final Pattern BLOCK =
            Pattern.compile("^(layer\\d)\\.b(\\d+)\\.(conv\\d|downsample)\\.(conv|bn)\\.(\\w+)$");
    private static final Pattern STEM = Pattern.compile("^stem\\.(conv|bn)\\.(\\w+)$");

    private ResNetNames() {}

    /**
     * Our name → torchvision's, for every parameter of an encoder.
     *
     * @param encoder the encoder
     * @return the names in network order
     */
    static Map<String, String> map(ResNetEncoder encoder) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String ours : ParameterNames.of(encoder).keySet()) {
            out.put(ours, torchvision(ours));
        }
        return out;
    }

    /**
     * One name.
     *
     * @param ours e.g. {@code layer2.b0.downsample.bn.runningVar}
     * @return e.g. {@code layer2.0.downsample.1.running_var}
     */
    static String torchvision(String ours) {
        Matcher stem = STEM.matcher(ours);
        if (stem.matches()) {
            return stem.group(1).equals("conv") ? "conv1." + stem.group(2) : "bn1." + WeightLayout.bnLeaf(stem.group(2));
        }
        Matcher m = BLOCK.matcher(ours);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a ResNet encoder parameter: " + ours);
        }
        String prefix = m.group(1) + "." + m.group(2) + ".";
        boolean conv = m.group(4).equals("conv");
        String leaf = conv ? m.group(5) : WeightLayout.bnLeaf(m.group(5));
        if (m.group(3).equals("downsample")) {
            return prefix + "downsample." + (conv ? "0." : "1.") + leaf;
        }
        String k = m.group(3).substring("conv".length());
        return prefix + (conv ? "conv" : "bn") + k + "." + leaf;
    }
}
