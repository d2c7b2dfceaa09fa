package org.eseg.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.eseg.graph.CompilableBlock;
import org.eseg.graph.GraphBuilder;
import org.eseg.model.layers.Act;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.Convs;
import org.eseg.model.layers.Resize;
import org.eseg.model.layers.SeparableConvBnAct;

/**
 * Atrous spatial pyramid pooling as in mmsegmentation's {@code DepthwiseSeparableASPPHead} (docs/design.md
 * section 7): image pooling (global average, 1×1 convolution, spread back over the map), a 1×1 branch and
 * three separable 3×3 atrous branches, concatenated, then a plain 3×3 bottleneck convolution, BN and
 * activation.
 *
 * <p>The image-pooling branch has a bias and no BatchNorm: its map is one pixel per image, where a batch of
 * one has no variance to normalise by.
 *
 * <p>Shape: (N, C_in, h, w) → (N, W, h, w). Children: {@code pool}, {@code b0} .. {@code b3},
 * {@code bottleneck}.
 */
public final class Aspp extends AbstractBlock implements CompilableBlock {

    private static final byte VERSION = 1;

    private final Conv2d pool;
    private final Act act;
    private final List<AbstractBlock> branches = new ArrayList<>();
    private final ConvBnAct bottleneck;

    /**
     * Creates the block.
     *
     * @param inChannels channels of the input map
     * @param width channels of every branch and of the output
     * @param rates dilation rates of the three atrous branches
     * @param act activation
     * @param bn BatchNorm settings
     */
    public Aspp(int inChannels, int width, int[] rates, Act act, BatchNormSpec bn) {
        super(VERSION);
        this.act = act;
        pool = addChildBlock("pool", Convs.pointwise(width, true));
        branches.add(addChildBlock("b0", ConvBnAct.builder()
                .setOutChannels(width).optAct(act).optBatchNorm(bn).build()));
        for (int i = 0; i < rates.length; i++) {
            branches.add(addChildBlock("b" + (i + 1), new SeparableConvBnAct(inChannels, width, rates[i], act, bn)));
        }
        bottleneck = addChildBlock("bottleneck", ConvBnAct.builder()
                .setOutChannels(width).optKernel(3).optAct(act).optBatchNorm(bn).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDArray mean = x.getNDArrayInternal().globalAvgPool().reshape(s.get(0), s.get(1), 1, 1);
        NDArray pooled = pool.forward(ps, new NDList(mean), training, params).singletonOrThrow();
        NDList parts = new NDList(Resize.bilinear(act.apply(pooled), s.get(2), s.get(3)));
        for (AbstractBlock b : branches) {
            parts.add(b.forward(ps, inputs, training, params).singletonOrThrow());
        }
        return bottleneck.forward(ps, new NDList(NDArrays.concat(parts, 1)), training, params);
    }

    @Override
    public int[] compile(GraphBuilder g, int... inputs) {
        int x = inputs[0];
        int[] parts = new int[branches.size() + 1];
        parts[0] = g.spreadLike(g.act(g.conv(g.globalAvgPool(x), pool), act.kind()), x);
        for (int i = 0; i < branches.size(); i++) {
            parts[i + 1] = g.compileOne(branches.get(i), x);
        }
        return new int[] {g.compileOne(bottleneck, g.concat(parts))};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), pool.getFilters(), s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        pool.initialize(manager, dataType, new Shape(s.get(0), s.get(1), 1, 1));
        for (AbstractBlock b : branches) {
            b.initialize(manager, dataType, inputShapes);
        }
        long concat = (long) pool.getFilters() * (branches.size() + 1);
        bottleneck.initialize(manager, dataType, new Shape(s.get(0), concat, s.get(2), s.get(3)));
    }
}
