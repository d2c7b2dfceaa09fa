package org.eseg.infer.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;
import org.eseg.infer.graph.ConvWeights;
import org.eseg.infer.graph.InferenceGraph;
import org.eseg.infer.graph.Op;
import org.eseg.model.backbone.ExtraLevels;

/**
 * Runs an {@link InferenceGraph} eagerly on libtorch through DJL: no autograd, folded weights held as
 * plain (gradient-free) arrays, every intermediate map closed as soon as no later step reads it, and
 * element-wise steps done in place on maps that die there. That keeps the peak memory near the few maps
 * alive at one time instead of every map the forward pass ever made.
 *
 * <p>Not thread-safe: use one instance per thread (the weights may be shared by loading twice).
 */
public final class CompiledNetwork implements AutoCloseable {

    private static final int NEAREST = 0;
    private static final int BILINEAR = 1;
    private static final Shape POOL_KERNEL = new Shape(3, 3);
    private static final Shape POOL_STRIDE = new Shape(2, 2);
    private static final Shape POOL_PAD = new Shape(1, 1);

    private final InferenceGraph graph;
    private final NDManager manager;
    private final Map<Op.Conv, NDArray[]> weights = new HashMap<>();
    private final int[] lastUse;

    private CompiledNetwork(InferenceGraph graph, NDManager parent) {
        this.graph = graph;
        this.manager = parent.newSubManager();
        this.lastUse = graph.lastUses();
        for (Op op : graph.ops()) {
            if (op instanceof Op.Conv c) {
                ConvWeights w = c.weights();
                NDArray wt = manager.create(w.weight(), new Shape(w.weightShape()));
                NDArray b = w.bias() == null ? null : manager.create(w.bias());
                weights.put(c, new NDArray[] {wt, b});
            }
        }
    }

    /**
     * Uploads a graph's weights.
     *
     * @param graph the compiled model
     * @param manager the parent manager; the weights live in a sub-manager closed by {@link #close()}
     * @return the network
     */
    public static CompiledNetwork load(InferenceGraph graph, NDManager manager) {
        return new CompiledNetwork(graph, manager);
    }

    /**
     * The graph this network runs.
     *
     * @return the graph
     */
    public InferenceGraph graph() {
        return graph;
    }

    /**
     * Computes logits. Turns autograd off in the calling thread (grad mode is thread-local).
     *
     * @param image (N, 3, H, W) float32; not modified
     * @return (N, classes, H, W) logits, owned by the image's manager
     */
    public NDArray forward(NDArray image) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected images of shape (N, 3, H, W), got " + s);
        }
        JniUtils.setGradMode(false);
        NDArray[] values = new NDArray[graph.valueCount()];
        values[InferenceGraph.INPUT] = image;
        try {
            for (int i = 0; i < graph.ops().size(); i++) {
                Op op = graph.ops().get(i);
                values[op.output()] = run(op, values, i);
                for (int in : op.inputs()) {
                    release(values, in, i);
                }
            }
            NDArray out = values[graph.output()];
            values[graph.output()] = null;
            return out;
        } finally {
            for (int v = 1; v < values.length; v++) {
                if (values[v] != null) {
                    values[v].close();
                }
            }
        }
    }

    /** Closes a value after its last reader (never the caller's image, never twice). */
    private void release(NDArray[] values, int id, int step) {
        if (id != InferenceGraph.INPUT && id != graph.output() && lastUse[id] == step && values[id] != null) {
            values[id].close();
            values[id] = null;
        }
    }

    /** Whether step {@code step} is the last reader of {@code id}, so it may overwrite it. */
    private boolean dying(int id, int step) {
        return id != InferenceGraph.INPUT && lastUse[id] == step;
    }

    private NDArray run(Op op, NDArray[] v, int step) {
        if (op instanceof Op.Conv c) {
            ConvWeights w = c.weights();
            NDArray[] wb = weights.get(c);
            NDArray x = v[c.input()];
            return x.getNDArrayInternal().convolution(x, wb[0], wb[1],
                    new Shape(w.stride(), w.stride()), new Shape(w.padding(), w.padding()), new Shape(1, 1),
                    w.groups()).singletonOrThrow();
        }
        if (op instanceof Op.Activation a) {
            NDArray x = v[a.input()];
            return switch (a.kind()) {
                case RELU -> Activation.relu(x);
                case SIGMOID -> Activation.sigmoid(x);
                // sigmoid(x) is a fresh array: scale it by x in place instead of allocating a third.
                case SILU -> Activation.sigmoid(x).muli(x);
            };
        }
        if (op instanceof Op.Add a) {
            return inPlaceOrNew(v, a.a(), a.b(), step, true);
        }
        if (op instanceof Op.Mul m) {
            return inPlaceOrNew(v, m.x(), m.gate(), step, false);
        }
        if (op instanceof Op.WeightedSum ws) {
            return weightedSum(ws, v, step);
        }
        if (op instanceof Op.Pool p) {
            NDArray x = v[p.input()];
            return p.max()
                    ? Pool.maxPool2d(x, POOL_KERNEL, POOL_STRIDE, POOL_PAD, false)
                    // Padding is excluded from the averages (ExtraLevels works around a DJL flag bug).
                    : ExtraLevels.pool(x);
        }
        if (op instanceof Op.GlobalAvgPool p) {
            NDArray x = v[p.input()];
            Shape s = x.getShape();
            try (NDArray pooled = x.getNDArrayInternal().globalAvgPool()) {
                return pooled.reshape(s.get(0), s.get(1), 1, 1);
            }
        }
        if (op instanceof Op.Resize r) {
            Shape like = v[r.like()].getShape();
            return v[r.input()].getNDArrayInternal().interpolation(
                    new long[] {like.get(2), like.get(3)}, r.bilinear() ? BILINEAR : NEAREST, false);
        }
        throw new IllegalStateException("unknown op " + op);
    }

    /** Σ w_j·x_j, scaling maps that die here in place so that only non-dying maps cost a buffer. */
    private NDArray weightedSum(Op.WeightedSum ws, NDArray[] v, int step) {
        int[] maps = ws.maps();
        float[] w = ws.weights();
        int first = 0;
        for (int j = 0; j < maps.length; j++) {
            if (dying(maps[j], step) && !repeated(maps, j)) {
                first = j;
                break;
            }
        }
        NDArray sum;
        if (dying(maps[first], step) && !repeated(maps, first)) {
            sum = v[maps[first]].muli(w[first]);
            v[maps[first]] = null;
        } else {
            sum = v[maps[first]].mul(w[first]);
        }
        for (int j = 0; j < maps.length; j++) {
            if (j == first) {
                continue;
            }
            NDArray x = v[maps[j]];
            if (dying(maps[j], step) && !repeated(maps, j)) {
                sum.addi(x.muli(w[j]));
            } else {
                try (NDArray term = x.mul(w[j])) {
                    sum.addi(term);
                }
            }
        }
        return sum;
    }

    private static boolean repeated(int[] ids, int j) {
        for (int i = 0; i < ids.length; i++) {
            if (i != j && ids[i] == ids[j]) {
                return true;
            }
        }
        return false;
    }

    private NDArray inPlaceOrNew(NDArray[] v, int a, int b, int step, boolean add) {
        NDArray x = v[a];
        NDArray y = v[b];
        if (dying(a, step) && a != b) {
            // The first operand dies here: reuse its buffer and hand it over to the output id.
            v[a] = null;
            return add ? x.addi(y) : x.muli(y);
        }
        if (add && dying(b, step) && a != b) {
            v[b] = null;
            return y.addi(x);
        }
        return add ? x.add(y) : x.mul(y);
    }

    @Override
    public void close() {
        manager.close();
    }
}
