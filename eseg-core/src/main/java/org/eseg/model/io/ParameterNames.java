package org.eseg.model.io;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stable, readable parameter names such as {@code backbone.stage2.b0.conv_dw.conv.weight}.
 *
 * <p>DJL prefixes child names with their position ({@code 01backbone}); checkpoints and weight import key
 * tensors by these dotted names instead, so that they read like the paper's module names.
 */
public final class ParameterNames {

    private ParameterNames() {}

    /**
     * Every parameter under a block, in network order.
     *
     * @param block the root block
     * @return dotted name → parameter
     */
    public static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    /**
     * A child's name without DJL's position prefix.
     *
     * @param djlName e.g. {@code 01backbone}
     * @return e.g. {@code backbone}
     */
    public static String strip(String djlName) {
        int i = 0;
        while (i < djlName.length() && Character.isDigit(djlName.charAt(i))) {
            i++;
        }
        return djlName.substring(i);
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), prefix + strip(child.getKey()) + ".", out);
        }
    }
}
