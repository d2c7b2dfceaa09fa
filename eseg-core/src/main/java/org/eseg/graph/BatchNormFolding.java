package org.eseg.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;

/**
 * Turns a trained convolution (and the BatchNorm after it) into one inference convolution:
 * with s = γ / √(var + eps), the weight becomes W·s per output channel and the bias
 * β − mean·s + b·s. Arithmetic is in double so that folding adds no error of its own.
 */
final class BatchNormFolding {

    private BatchNormFolding() {}

    /**
     * A convolution's weights as they are (no BatchNorm after it).
     *
     * @param conv an initialised convolution
     * @return its weights and geometry
     */
    static ConvWeights plain(Conv2d conv) {
        float[] w = param(conv, "weight").toFloatArray();
        NDArray b = optionalParam(conv, "bias");
        return geometry(conv, w, b == null ? null : b.toFloatArray());
    }

    /**
     * A convolution with the BatchNorm that follows it folded in.
     *
     * @param conv an initialised convolution
     * @param bn the BatchNorm applied to its output
     * @param eps the BatchNorm's epsilon
     * @return folded weights (always with a bias)
     */
    static ConvWeights fold(Conv2d conv, BatchNorm bn, double eps) {
        float[] w = param(conv, "weight").toFloatArray();
        NDArray convBias = optionalParam(conv, "bias");
        float[] b0 = convBias == null ? null : convBias.toFloatArray();
        float[] gamma = param(bn, "gamma").toFloatArray();
        float[] beta = param(bn, "beta").toFloatArray();
        float[] mean = param(bn, "runningMean").toFloatArray();
        float[] var = param(bn, "runningVar").toFloatArray();
        int out = conv.getFilters();
        if (gamma.length != out) {
            throw new IllegalArgumentException(
                    "BatchNorm has " + gamma.length + " channels, the convolution " + out);
        }
        int perOut = w.length / out;
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double s = gamma[o] / Math.sqrt(var[o] + eps);
            for (int i = 0; i < perOut; i++) {
                fw[o * perOut + i] = (float) (w[o * perOut + i] * s);
            }
            double bias = beta[o] - mean[o] * s + (b0 == null ? 0 : b0[o] * s);
            fb[o] = (float) bias;
        }
        return geometry(conv, fw, fb);
    }

    private static ConvWeights geometry(Conv2d conv, float[] w, float[] b) {
        long[] k = conv.getKernelShape().getShape();
        long[] stride = conv.getStride().getShape();
        long[] pad = conv.getPadding().getShape();
        long[] dilation = conv.getDilation().getShape();
        if (k[0] != k[1] || stride[0] != stride[1] || pad[0] != pad[1] || dilation[0] != dilation[1]) {
            throw new IllegalArgumentException(
                    "only square kernels, strides, paddings and dilations are supported");
        }
        int out = conv.getFilters();
        int groups = conv.getGroups();
        int inPerGroup = (int) (w.length / ((long) out * k[0] * k[1]));
        return new ConvWeights(w, b, out, inPerGroup * groups, (int) k[0], (int) stride[0], (int) pad[0], groups,
                (int) dilation[0]);
    }

    private static NDArray param(Block block, String name) {
        NDArray a = optionalParam(block, name);
        if (a == null) {
            throw new IllegalArgumentException("block has no parameter '" + name + "'");
        }
        return a;
    }

    private static NDArray optionalParam(Block block, String name) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray();
            }
        }
        return null;
    }
}
