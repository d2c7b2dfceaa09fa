package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import org.eseg.graph.Op;

/**
 * The eager pooling one pyramid level down, with the window, stride and padding of {@link Op.Pool} so that
 * the blocks and the compiled graph cannot disagree: (N, C, H, W) → (N, C, ceil(H/2), ceil(W/2)).
 */
public final class Pooling {

    private static final Shape KERNEL = new Shape(Op.Pool.KERNEL, Op.Pool.KERNEL);
    private static final Shape STRIDE = new Shape(Op.Pool.STRIDE, Op.Pool.STRIDE);
    private static final Shape PAD = new Shape(Op.Pool.PADDING, Op.Pool.PADDING);

    private Pooling() {}

    /**
     * Average pooling over the real pixels of each window (padding excluded).
     *
     * @param x (N, C, H, W)
     * @return (N, C, ceil(H/2), ceil(W/2))
     */
    public static NDArray avg(NDArray x) {
        // DJL 0.36's PyTorch engine ignores avgPool2d's countIncludePad flag and always divides by 9, so
        // divide the padded average by the padded average of ones: sum / (number of real pixels).
        Shape s = x.getShape();
        try (NDArray ones = x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice());
                NDArray valid = Pool.avgPool2d(ones, KERNEL, STRIDE, PAD, false, true);
                NDArray padded = Pool.avgPool2d(x, KERNEL, STRIDE, PAD, false, true)) {
            return padded.div(valid);
        }
    }

    /**
     * Max pooling (the padding never wins).
     *
     * @param x (N, C, H, W)
     * @return (N, C, ceil(H/2), ceil(W/2))
     */
    public static NDArray max(NDArray x) {
        return Pool.maxPool2d(x, KERNEL, STRIDE, PAD, false);
    }

    /**
     * The spatial size after one pooling, along one axis.
     *
     * @param size input height or width
     * @return ceil(size / 2)
     */
    public static long outSize(long size) {
        return Convs.outSize(size, Op.Pool.STRIDE);
    }
}
