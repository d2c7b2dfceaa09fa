package org.eseg.infer.export.onnx;

import org.eseg.graph.ConvWeights;

/**
 * A convolution's weights quantised for an int8 export: int8 weights with one symmetric scale per output
 * channel (max |w| maps to 127), and the bias as int32 at the scale input·weight of its channel, as
 * QLinearConv takes them.
 *
 * @param weight int8 weights, the layout of {@link ConvWeights#weight()}
 * @param weightScale per output channel
 * @param bias int32 bias (zeros when the convolution has none)
 * @param biasScale per output channel: input scale × weight scale
 */
record Int8Weights(byte[] weight, float[] weightScale, int[] bias, float[] biasScale) {

    /** The largest int8 code used: symmetric, so -127..127 (never -128). */
    static final int QMAX = 127;

    /**
     * Quantises a convolution.
     *
     * @param w float weights (BatchNorm folded)
     * @param inputScale the uint8 scale of the map the convolution reads
     * @return the quantised weights
     */
    static Int8Weights of(ConvWeights w, float inputScale) {
        int out = w.outChannels();
        int per = w.weight().length / out;
        byte[] q = new byte[w.weight().length];
        float[] scale = new float[out];
        int[] bias = new int[out];
        float[] biasScale = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = o * per; i < (o + 1) * per; i++) {
                max = Math.max(max, Math.abs(w.weight()[i]));
            }
            scale[o] = max > 0 ? max / QMAX : 1f;
            for (int i = o * per; i < (o + 1) * per; i++) {
                q[i] = (byte) Math.max(-QMAX, Math.min(QMAX, Math.round(w.weight()[i] / scale[o])));
            }
            biasScale[o] = inputScale * scale[o];
            if (w.bias() != null) {
                // Saturates rather than wraps; a bias 2^31 steps of input·weight away would be a broken model.
                double b = Math.rint(w.bias()[o] / (double) biasScale[o]);
                bias[o] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, b));
            }
        }
        return new Int8Weights(q, scale, bias, biasScale);
    }
}
