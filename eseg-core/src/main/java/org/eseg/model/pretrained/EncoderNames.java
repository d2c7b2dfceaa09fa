package org.eseg.model.pretrained;

import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eseg.model.backbone.EfficientNetEncoder;
import org.eseg.model.io.ParameterNames;

/** Maps every parameter of our {@link EfficientNetEncoder} to its name in a pretrained file. */
final class EncoderNames {

    /** {@code stage2.b0.conv_dw.conv.weight}, {@code stage2.b0.se.conv_reduce.bias}, ... */
    private static final Pattern BLOCK = Pattern.compile("^stage(\\d+)\\.b(\\d+)\\.(\\w+)\\.(\\w+)\\.(\\w+)$");
    /** {@code stem.conv.weight}, {@code stem.bn.runningVar}. */
    private static final Pattern STEM = Pattern.compile("^stem\\.(conv|bn)\\.(\\w+)$");

    private EncoderNames() {}

    /**
     * The source name of each encoder parameter, in network order.
     *
     * @param encoder an initialised MBConv encoder
     * @param layout the file's naming
     * @return our name (relative to the encoder) → source name
     */
    static Map<String, String> map(EfficientNetEncoder encoder, WeightLayout layout) {
        Map<String, Parameter> ours = ParameterNames.of(encoder);
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : ours.keySet()) {
            out.put(name, sourceName(name, ours, layout));
        }
        return out;
    }

    private static String sourceName(String name, Map<String, Parameter> ours, WeightLayout layout) {
        Matcher stem = STEM.matcher(name);
        if (stem.matches()) {
            return layout.stem(stem.group(1), stem.group(2));
        }
        Matcher b = BLOCK.matcher(name);
        if (!b.matches()) {
            throw new IllegalStateException("unexpected encoder parameter " + name);
        }
        String block = "stage" + b.group(1) + ".b" + b.group(2) + ".";
        boolean expands = ours.containsKey(block + "conv_pw.conv.weight");
        return layout.block(Integer.parseInt(b.group(1)), Integer.parseInt(b.group(2)), expands,
                b.group(3), b.group(4), b.group(5));
    }
}
