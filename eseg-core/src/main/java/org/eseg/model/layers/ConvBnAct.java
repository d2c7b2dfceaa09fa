package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.util.Tensors;

/**
 * Convolution (no bias by default) → BatchNorm → optional activation: the unit EfficientNet is made of.
 *
 * <p>Shape: (N, C_in, H, W) → (N, C_out, ceil(H/s), ceil(W/s)). Children: {@code conv}, {@code bn}.
 */
public final class ConvBnAct extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final BatchNorm bn;
    private final Act act;
    private final double bnEps;

    private ConvBnAct(Builder b) {
        super(VERSION);
        conv = addChildBlock("conv", Convs.conv(b.outChannels, b.kernel, b.stride, b.groups, b.convBias, b.dilation));
        bn = addChildBlock("bn", b.bn.build());
        act = b.act;
        bnEps = b.bn.eps();
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray c = conv.forward(ps, inputs, training, params).singletonOrThrow();
        NDArray y = bn.forward(ps, new NDList(c), training, params).singletonOrThrow();
        Tensors.release(c, y);
        if (act != null) {
            NDArray a = act.apply(y);
            Tensors.release(y, a);
            y = a;
        }
        return new NDList(y);
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int y = g.conv(inputs[0], conv, bn, bnEps);
        return new int[] {act == null ? y : g.act(y, act.kind())};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    /** Options for {@link ConvBnAct}; {@code setOutChannels} is required. */
    public static final class Builder {
        private int outChannels = -1;
        private int kernel = 1;
        private int stride = 1;
        private int groups = 1;
        private int dilation = 1;
        private Act act;
        private BatchNormSpec bn = BatchNormSpec.EFFICIENTNET;
        private boolean convBias;

        /**
         * Sets the output channels.
         *
         * @param c channels, &gt; 0
         * @return this
         */
        public Builder setOutChannels(int c) {
            outChannels = c;
            return this;
        }

        /**
         * Sets the kernel size (default 1).
         *
         * @param k odd size
         * @return this
         */
        public Builder optKernel(int k) {
            kernel = k;
            return this;
        }

        /**
         * Sets the stride (default 1).
         *
         * @param s stride
         * @return this
         */
        public Builder optStride(int s) {
            stride = s;
            return this;
        }

        /**
         * Spreads the kernel's taps (an atrous convolution; default 1).
         *
         * @param d tap spacing
         * @return this
         */
        public Builder optDilation(int d) {
            dilation = d;
            return this;
        }

        /**
         * Makes the convolution depthwise: one group per channel (input channels = output channels).
         *
         * @return this
         */
        public Builder optDepthwise() {
            groups = -1;
            return this;
        }

        /**
         * Sets the activation after BN (default none).
         *
         * @param a activation or null
         * @return this
         */
        public Builder optAct(Act a) {
            act = a;
            return this;
        }

        /**
         * Gives the convolution a bias (default none: BN's beta makes it redundant, but EfficientDet's
         * lateral projections have one and the parameter counts follow them).
         *
         * @param bias whether the convolution has a bias
         * @return this
         */
        public Builder optConvBias(boolean bias) {
            convBias = bias;
            return this;
        }

        /**
         * Sets the BatchNorm settings.
         *
         * @param spec settings
         * @return this
         */
        public Builder optBatchNorm(BatchNormSpec spec) {
            bn = spec;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         */
        public ConvBnAct build() {
            if (outChannels <= 0) {
                throw new IllegalArgumentException("outChannels must be > 0, got " + outChannels);
            }
            if (stride <= 0) {
                throw new IllegalArgumentException("stride must be > 0, got " + stride);
            }
            if (groups == -1) {
                groups = outChannels;
            }
            return new ConvBnAct(this);
        }
    }
}
