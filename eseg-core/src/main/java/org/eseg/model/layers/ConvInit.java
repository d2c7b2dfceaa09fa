package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import org.eseg.util.Tensors;

/**
 * EfficientNet's initialisation of convolutions: He-normal with fan-out {@code k·k·out / groups}.
 *
 * <p>DJL's Xavier initialiser sees only the weight's shape, so for a depthwise convolution (C, 1, k, k) it
 * takes fan-out as C·k·k instead of k·k and draws weights √C times too small; stacked separable
 * convolutions then shrink activations by orders of magnitude. This walks the blocks, where the group
 * count is known.
 */
public final class ConvInit {

    private ConvInit() {}

    /**
     * Re-draws every convolution weight under a block.
     *
     * @param root an initialised block
     */
    public static void heNormalFanOut(Block root) {
        if (root instanceof Convolution conv) {
            Parameter w = conv.getParameters().get("weight");
            NDArray weight = w.getArray();
            Shape s = weight.getShape();
            long fanOut = s.get(0) / conv.getGroups() * conv.getKernelShape().size();
            NDManager m = weight.getManager();
            try (NDArray draw = m.randomNormal(0f, (float) Math.sqrt(2.0 / fanOut), s, weight.getDataType())) {
                Tensors.assign(weight, draw);
            }
            return;
        }
        for (Pair<String, Block> child : root.getChildren()) {
            heNormalFanOut(child.getValue());
        }
    }
}
