package org.eseg.infer.export.torchscript;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eseg.graph.InferenceGraph;
import org.eseg.graph.Op;

/**
 * Prints an {@link InferenceGraph} as the TorchScript source of one module class, in the serialized
 * dialect that {@code torch.jit.load} compiles (builtins are called as {@code torch.<aten op>}). Each value
 * id becomes a local {@code v<id>}; a step whose input dies there works in place ({@code torch.silu_},
 * {@code torch.add_}), which saves the allocation and the page faults of a fresh map. The image itself
 * is never written to.
 */
final class TorchScriptSource {

    /** The memory-format enum value of {@code torch.channels_last}. */
    private static final int CHANNELS_LAST = 2;

    private final InferenceGraph graph;
    private final Map<Op.Conv, String> convNames;
    private final boolean channelsLast;
    private final int[] lastUse;
    private final StringBuilder code = new StringBuilder();

    private TorchScriptSource(InferenceGraph graph, Map<Op.Conv, String> convNames, boolean channelsLast) {
        this.graph = graph;
        this.convNames = convNames;
        this.channelsLast = channelsLast;
        this.lastUse = graph.lastUses();
    }

    /**
     * The source of {@code code/__torch__.py}.
     *
     * @param graph the network
     * @param className the class name (unqualified)
     * @param convNames attribute prefix of every convolution: {@code <prefix>_weight}, {@code <prefix>_bias}
     * @param tensorNames every tensor attribute, in the order of the pickle
     * @param channelsLast whether maps are computed in NHWC memory order (oneDNN's native CPU layout)
     * @return the Python-dialect source
     */
    static String print(InferenceGraph graph, String className, Map<Op.Conv, String> convNames,
            List<String> tensorNames, boolean channelsLast) {
        return new TorchScriptSource(graph, convNames, channelsLast).module(className, tensorNames);
    }

    private String module(String className, List<String> tensorNames) {
        line(0, "class " + className + "(Module):");
        line(1, "__parameters__ = []");
        StringBuilder buffers = new StringBuilder("__buffers__ = [");
        for (String t : tensorNames) {
            buffers.append('"').append(t).append("\", ");
        }
        line(1, buffers.append(']').toString());
        for (String t : tensorNames) {
            line(1, t + " : Tensor");
        }
        line(1, "training : bool");
        line(1, "def forward(self: __torch__." + className + ",");
        line(2, "x: Tensor) -> Tensor:");
        // The image keeps the caller's layout; v0 is its (possibly converted) copy, never written to.
        line(2, "v0 = " + (channelsLast ? "torch.contiguous(x, memory_format=" + CHANNELS_LAST + ")" : "x"));
        for (int i = 0; i < graph.ops().size(); i++) {
            line(2, "v" + graph.ops().get(i).output() + " = " + expression(graph.ops().get(i), i));
        }
        // Logits go back to the plain NCHW layout every caller expects.
        line(2, "return torch.contiguous(v" + graph.output() + ")");
        return code.toString();
    }

    private String expression(Op op, int step) {
        if (op instanceof Op.Conv c) {
            var w = c.weights();
            String name = convNames.get(c);
            String bias = w.bias() == null ? "None" : "self." + name + "_bias";
            if (w.kernel() == 1 && w.padding() == 0 && w.stride() > 1) {
                // A strided 1x1 convolution (ResNet's projection shortcut) is a 1x1 convolution of every
                // stride-th pixel. Written that way it avoids libtorch 2.7.1's oneDNN brgemm 1x1 kernel for
                // strided channels-last input, which dies with SIGFPE under ONEDNN_MAX_CPU_ISA=AVX2 (e.g.
                // 512 -> 1024 channels on an 8x16 map).
                String every = String.format(Locale.ROOT, "torch.slice(torch.slice(%s, 2, 0, None, %d), 3, 0, None, %d)",
                        v(c.input()), w.stride(), w.stride());
                return String.format(Locale.ROOT, "torch.conv2d(%s, self.%s_weight, %s, [1, 1], [0, 0], [1, 1], %d)",
                        every, name, bias, w.groups());
            }
            return String.format(Locale.ROOT, "torch.conv2d(%s, self.%s_weight, %s, [%d, %d], [%d, %d], [%d, %d], %d)",
                    v(c.input()), name, bias, w.stride(), w.stride(), w.padding(), w.padding(), w.dilation(),
                    w.dilation(), w.groups());
        }
        if (op instanceof Op.Activation a) {
            String fn = switch (a.kind()) {
                case RELU -> "relu";
                case SILU -> "silu";
                case SIGMOID -> "sigmoid";
            };
            return dies(a.input(), step) ? "torch." + fn + "_(" + v(a.input()) + ")"
                    : "torch." + fn + "(" + v(a.input()) + ")";
        }
        if (op instanceof Op.Add a) {
            return binary("add", a.a(), a.b(), step, true);
        }
        if (op instanceof Op.Mul m) {
            // Only the map may take the result: the gate (N, C, 1, 1) is smaller than the product.
            return binary("mul", m.x(), m.gate(), step, false);
        }
        if (op instanceof Op.WeightedSum ws) {
            return weightedSum(ws, step);
        }
        if (op instanceof Op.Pool p) {
            String geometry = pair(Op.Pool.KERNEL) + ", " + pair(Op.Pool.STRIDE) + ", " + pair(Op.Pool.PADDING);
            return p.max()
                    ? "torch.max_pool2d(" + v(p.input()) + ", " + geometry + ", [1, 1], False)"
                    // count_include_pad=False: averages divide by the number of real pixels.
                    : "torch.avg_pool2d(" + v(p.input()) + ", " + geometry + ", False, False, None)";
        }
        if (op instanceof Op.Concat cat) {
            StringBuilder maps = new StringBuilder();
            for (int m : cat.maps()) {
                maps.append(maps.length() == 0 ? "" : ", ").append(v(m));
            }
            return "torch.cat([" + maps + "], 1)";
        }
        if (op instanceof Op.GlobalAvgPool p) {
            return "torch.adaptive_avg_pool2d(" + v(p.input()) + ", [1, 1])";
        }
        if (op instanceof Op.Resize r) {
            String size = "[torch.size(" + v(r.like()) + ", 2), torch.size(" + v(r.like()) + ", 3)]";
            if (r.output() == graph.output()) {
                // The last resize makes the logits: leave channels-last before it, where the map is 16 times
                // smaller (converting the full-size logits cost ~90 ms at 512x1024). On NCHW maps the
                // separable antialiased kernel is the faster one, and when upsampling it computes plain
                // bilinear (align_corners=False) values.
                String in = "torch.contiguous(" + v(r.input()) + ")";
                return r.bilinear()
                        ? "torch._upsample_bilinear2d_aa(" + in + ", " + size + ", False, None)"
                        : "torch.upsample_nearest2d(" + in + ", " + size + ", None)";
            }
            return r.bilinear()
                    ? "torch.upsample_bilinear2d(" + v(r.input()) + ", " + size + ", False, None)"
                    : "torch.upsample_nearest2d(" + v(r.input()) + ", " + size + ", None)";
        }
        throw new IllegalStateException("unknown op " + op);
    }

    private String binary(String fn, int a, int b, int step, boolean commutative) {
        if (a != b && dies(a, step)) {
            return "torch." + fn + "_(" + v(a) + ", " + v(b) + ")";
        }
        if (commutative && a != b && dies(b, step)) {
            return "torch." + fn + "_(" + v(b) + ", " + v(a) + ")";
        }
        return "torch." + fn + "(" + v(a) + ", " + v(b) + ")";
    }

    /** Σ w_j·x_j as a chain of {@code torch.add(sum, x_j, alpha=w_j)}: one pass per term, no temporaries. */
    private String weightedSum(Op.WeightedSum ws, int step) {
        int[] maps = ws.maps();
        float[] w = ws.weights();
        boolean ownFirst = dies(maps[0], step) && !repeated(maps, 0);
        String sum = (ownFirst ? "torch.mul_(" : "torch.mul(") + v(maps[0]) + ", " + literal(w[0]) + ")";
        for (int j = 1; j < maps.length; j++) {
            sum = "torch.add_(" + sum + ", " + v(maps[j]) + ", alpha=" + literal(w[j]) + ")";
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

    private boolean dies(int id, int step) {
        return id != InferenceGraph.INPUT && lastUse[id] == step;
    }

    private static String pair(int n) {
        return "[" + n + ", " + n + "]";
    }

    private static String v(int id) {
        return "v" + id;
    }

    private static String literal(float f) {
        // Ten significant digits round-trip a float; the kernels cast the double scalar back to float.
        return String.format(Locale.ROOT, "%.9e", (double) f);
    }

    private void line(int indent, String text) {
        code.append("  ".repeat(indent)).append(text).append('\n');
    }
}
