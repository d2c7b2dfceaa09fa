package org.eseg.infer.export.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eseg.graph.ConvWeights;
import org.eseg.graph.InferenceGraph;
import org.eseg.graph.Op;
import org.eseg.util.AtomicFiles;
import org.eseg.util.ImageSize;

/**
 * Writes an {@link InferenceGraph} as an ONNX model: input {@code image} (N, 3, H, W) float32, output
 * {@code logits} (N, classes, H, W). BatchNorm is already folded in the graph. Resize targets come
 * from constants for a fixed-size export and from {@code Shape} of the map being matched for a dynamic
 * one; nearest uses {@code asymmetric}/{@code floor} (libtorch's nearest), bilinear {@code half_pixel}
 * (align_corners=False).
 */
public final class OnnxExporter {

    /** The graph input's name. */
    public static final String INPUT_NAME = "image";
    /** The graph output's name. */
    public static final String OUTPUT_NAME = "logits";

    private final InferenceGraph graph;
    private final OnnxExportOptions options;
    private final ProtoMessage body = new ProtoMessage();
    private final Map<Integer, String> hwByLevel = new HashMap<>();
    private final java.util.Set<Integer> scaleConstants = new java.util.HashSet<>();
    private final java.util.Set<Long> int64Constants = new java.util.HashSet<>();
    /** Int8 export: the name each quantised value is read under (its DequantizeLinear output). */
    private final Map<Integer, String> dequantized = new HashMap<>();
    /** Int8 export: {scale, zero point} of every value that is quantised. */
    private final Map<Integer, float[]> quantParams = new HashMap<>();
    /** Int8 export: the QuantizeLinear output and the zero point's name of every quantised value. */
    private final Map<Integer, String[]> quantNames = new HashMap<>();
    /** Int8 export: values that are another value's uint8 codes read at a different scale, with no op. */
    private final java.util.Set<Integer> rescaled = new java.util.HashSet<>();
    private int counter;

    private OnnxExporter(InferenceGraph graph, OnnxExportOptions options) {
        this.graph = graph;
        this.options = options;
        if (options.int8() != null) {
            planQuantisation(options.int8());
        }
    }

    /**
     * Chooses the values that are stored as uint8 between ops: all, the image included (it was 8-bit
     * before normalisation, and one uint8 step of its range is about one pixel level), except the head's
     * tail: from its fusion of the pyramid levels (the last sum of several maps, with the scalings and
     * resizes of its inputs) through the convolutions after it, the classifier, and the logits' upsampling. Quantising that tail cost the demo model
     * 0.1% of argmax agreement with float32 (docs/inference.md) for a few milliseconds at 1/4 resolution. A max pooling or resize takes its input's
     * parameters: ONNX Runtime then runs it on the uint8 map directly instead of dequantising around it.
     */
    private void planQuantisation(ActivationRanges ranges) {
        int classifier = -1;
        for (int i = 0; i < graph.ops().size(); i++) {
            if (graph.ops().get(i) instanceof Op.Conv) {
                classifier = i;
            }
        }
        if (ranges.has(InferenceGraph.INPUT)) {
            quantParams.put(InferenceGraph.INPUT, ranges.uint8Params(InferenceGraph.INPUT));
        }
        for (int i = 0; i < classifier; i++) {
            Op op = graph.ops().get(i);
            int in = op.inputs()[0];
            boolean passThrough = op instanceof Op.Resize || op instanceof Op.Pool p && p.max();
            if (passThrough && quantParams.containsKey(in)) {
                quantParams.put(op.output(), quantParams.get(in));
            } else if (op instanceof Op.WeightedSum ws && ws.maps().length == 1 && ws.weights()[0] > 0
                    && quantParams.containsKey(in)) {
                // One scaled map (the head's level weights): the same uint8 codes at a scaled step.
                float[] p = quantParams.get(in);
                quantParams.put(op.output(), new float[] {p[0] * ws.weights()[0], p[1]});
                rescaled.add(op.output());
            } else if (ranges.has(op.output())) {
                quantParams.put(op.output(), ranges.uint8Params(op.output()));
            }
        }
    }

    /**
     * Serialises a graph.
     *
     * @param graph the compiled model
     * @param options size and opset
     * @return the ModelProto bytes
     */
    public static byte[] export(InferenceGraph graph, OnnxExportOptions options) {
        return new OnnxExporter(graph, options).model();
    }

    /**
     * Writes a graph to a file atomically.
     *
     * @param graph the compiled model
     * @param options size and opset
     * @param file target (replaced atomically)
     * @throws IOException if it cannot be written
     */
    public static void write(InferenceGraph graph, OnnxExportOptions options, Path file) throws IOException {
        byte[] bytes = export(graph, options);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private byte[] model() {
        body.string(Onnx.GRAPH_NAME, graph.name());
        // A fixed batch lets ONNX Runtime prove every shape, and fuse each Add into its convolution.
        Object n = options.batch() > 0 ? (Object) (long) options.batch() : "N";
        body.message(Onnx.GRAPH_INPUT, Onnx.floatValueInfo(INPUT_NAME, n, 3L, dim("H", true), dim("W", false)));
        body.message(Onnx.GRAPH_OUTPUT, Onnx.floatValueInfo(OUTPUT_NAME, n, (long) graph.numClasses(),
                dim("H", true), dim("W", false)));
        if (quantParams.containsKey(InferenceGraph.INPUT)) {
            quantise(InferenceGraph.INPUT);
        }
        for (Op op : graph.ops()) {
            if (rescaled.contains(op.output())) {
                rescale((Op.WeightedSum) op);
                continue;
            }
            emit(op);
            if (options.int8() != null && quantParams.containsKey(op.output())) {
                quantise(op.output());
            }
            if (options.probes() && op.output() != graph.output()) {
                body.message(Onnx.GRAPH_OUTPUT, Onnx.floatValueInfo(name(op.output())));
            }
        }
        return new ProtoMessage()
                .int64(Onnx.MODEL_IR_VERSION, irVersion(options.opset()))
                .string(Onnx.MODEL_PRODUCER_NAME, "eseg")
                .string(Onnx.MODEL_PRODUCER_VERSION, "0.1")
                .message(Onnx.MODEL_GRAPH, body)
                .message(Onnx.MODEL_OPSET_IMPORT, Onnx.opset(options.opset()))
                .toByteArray();
    }

    /** The IR version the ONNX release that introduced an opset wrote. */
    private static int irVersion(int opset) {
        return opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
    }

    private Object dim(String symbol, boolean height) {
        ImageSize s = options.inputSize();
        return s == null ? symbol : (Object) (long) (height ? s.height() : s.width());
    }

    private String name(int id) {
        if (id == InferenceGraph.INPUT) {
            return INPUT_NAME;
        }
        return id == graph.output() ? OUTPUT_NAME : "t" + id;
    }

    /** A one-element int64 initializer, added on first use (ONNX Runtime warns about unused ones). */
    private String constant(long value) {
        String name = "const_" + value;
        if (int64Constants.add(value)) {
            initializer(Onnx.int64Tensor(name, new long[] {value}));
        }
        return name;
    }

    /**
     * The name a consumer reads a value under: in an int8 export the value's dequantised copy (its
     * DequantizeLinear is added on first use, so that no unread one is left for the runtime to run), else
     * the value itself.
     */
    private String in(int id) {
        String[] q = quantNames.get(id);
        if (q == null) {
            return name(id);
        }
        return dequantized.computeIfAbsent(id, k -> {
            String dq = name(id) + "_dq";
            node(new Onnx.Node("DequantizeLinear", fresh("dq")).inputs(q[0], q[2], q[1]).outputs(dq));
            return dq;
        });
    }

    /** Appends a QuantizeLinear (uint8, per tensor) after a float map; consumers dequantise it through {@link #in}. */
    private void quantise(int id) {
        String x = name(id);
        String q = fresh("q");
        float[] params = quantParams.get(id);
        initializer(Onnx.floatScalar(q + ".scale", params[0]));
        initializer(Onnx.uint8Scalar(q + ".zero_point", (int) params[1]));
        node(new Onnx.Node("QuantizeLinear", q).inputs(x, q + ".scale", q + ".zero_point").outputs(x + "_q"));
        quantNames.put(id, new String[] {x + "_q", q + ".zero_point", q + ".scale"});
    }

    /**
     * Appends QuantizeLinear then DequantizeLinear (uint8, per tensor) after a float map that is not a graph
     * value (a partial sum, the SiLU gate).
     *
     * @return the dequantised map's name
     */
    private String qdq(String x, float[] params) {
        String id = fresh("q");
        initializer(Onnx.floatScalar(id + ".scale", params[0]));
        initializer(Onnx.uint8Scalar(id + ".zero_point", (int) params[1]));
        String q = x + "_q";
        String dq = x + "_dq";
        node(new Onnx.Node("QuantizeLinear", id).inputs(x, id + ".scale", id + ".zero_point").outputs(q));
        node(new Onnx.Node("DequantizeLinear", fresh("dq")).inputs(q, id + ".scale", id + ".zero_point").outputs(dq));
        return dq;
    }

    private String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    private void node(Onnx.Node n) {
        body.message(Onnx.GRAPH_NODE, n.proto());
    }

    private void initializer(ProtoMessage tensor) {
        body.message(Onnx.GRAPH_INITIALIZER, tensor);
    }

    private void emit(Op op) {
        String out = name(op.output());
        if (op instanceof Op.Conv c) {
            conv(c, out);
        } else if (op instanceof Op.Activation a) {
            String x = in(a.input());
            switch (a.kind()) {
                case RELU -> node(new Onnx.Node("Relu", fresh("relu")).inputs(x).outputs(out));
                case SIGMOID -> node(new Onnx.Node("Sigmoid", fresh("sigmoid")).inputs(x).outputs(out));
                case SILU -> {
                    String s = fresh("silu_gate");
                    node(new Onnx.Node("Sigmoid", fresh("sigmoid")).inputs(x).outputs(s));
                    if (quantParams.containsKey(a.output())) {
                        // The gate lies in [0, 1] whatever the data: a fixed uint8 scale, so that the product
                        // runs as an integer multiplication too.
                        s = qdq(s, new float[] {1f / ActivationRanges.QMAX, 0f});
                    }
                    node(new Onnx.Node("Mul", fresh("silu")).inputs(x, s).outputs(out));
                }
            }
        } else if (op instanceof Op.Add a) {
            node(new Onnx.Node("Add", fresh("add")).inputs(in(a.a()), in(a.b())).outputs(out));
        } else if (op instanceof Op.Mul m) {
            node(new Onnx.Node("Mul", fresh("mul")).inputs(in(m.x()), in(m.gate())).outputs(out));
        } else if (op instanceof Op.WeightedSum ws) {
            weightedSum(ws, out);
        } else if (op instanceof Op.Pool p) {
            Onnx.Node n = new Onnx.Node(p.max() ? "MaxPool" : "AveragePool", fresh(p.max() ? "maxpool" : "avgpool"))
                    .inputs(in(p.input())).outputs(out)
                    .attrInts("kernel_shape", Op.Pool.KERNEL, Op.Pool.KERNEL)
                    .attrInts("strides", Op.Pool.STRIDE, Op.Pool.STRIDE)
                    .attrInts("pads", Op.Pool.PADDING, Op.Pool.PADDING, Op.Pool.PADDING, Op.Pool.PADDING);
            if (!p.max()) {
                n.attr("count_include_pad", 0L);
            }
            node(n);
        } else if (op instanceof Op.Concat cat) {
            String[] ins = java.util.Arrays.stream(cat.maps()).mapToObj(this::name).toArray(String[]::new);
            node(new Onnx.Node("Concat", fresh("concat")).inputs(ins).outputs(out).attr("axis", 1L));
        } else if (op instanceof Op.GlobalAvgPool p) {
            node(new Onnx.Node("GlobalAveragePool", fresh("gap")).inputs(in(p.input())).outputs(out));
        } else if (op instanceof Op.Resize r) {
            resize(r, out);
        } else {
            throw new IllegalStateException("unknown op " + op);
        }
    }

    private void conv(Op.Conv c, String out) {
        if (quantParams.containsKey(c.input()) && quantParams.containsKey(c.output())) {
            int8Conv(c, out);
            return;
        }
        ConvWeights w = c.weights();
        String id = fresh("conv");
        String wName = id + ".weight";
        initializer(Onnx.floatTensor(wName, w.weightShape(), w.weight()));
        Onnx.Node n = new Onnx.Node("Conv", id).outputs(out)
                .attrInts("kernel_shape", w.kernel(), w.kernel())
                .attrInts("strides", w.stride(), w.stride())
                .attrInts("pads", w.padding(), w.padding(), w.padding(), w.padding())
                .attrInts("dilations", w.dilation(), w.dilation())
                .attr("group", (long) w.groups());
        if (w.bias() != null) {
            String bName = id + ".bias";
            initializer(Onnx.floatTensor(bName, new long[] {w.outChannels()}, w.bias()));
            n.inputs(in(c.input()), wName, bName);
        } else {
            n.inputs(in(c.input()), wName);
        }
        node(n);
    }

    /**
     * A convolution between uint8 maps: int8 weights with one symmetric scale per output channel, an int32
     * bias at scale input·weight (zero points 0), each behind a DequantizeLinear, which is the pattern ONNX
     * Runtime fuses into QLinearConv.
     */
    private void int8Conv(Op.Conv c, String out) {
        ConvWeights w = c.weights();
        Int8Weights q = Int8Weights.of(w, quantParams.get(c.input())[0]);
        String id = fresh("conv");
        long[] perChannel = {w.outChannels()};
        initializer(Onnx.int8Tensor(id + ".weight_q", w.weightShape(), q.weight()));
        initializer(Onnx.floatTensor(id + ".weight_scale", perChannel, q.weightScale()));
        initializer(Onnx.int8Tensor(id + ".weight_zero_point", perChannel, new byte[w.outChannels()]));
        node(new Onnx.Node("DequantizeLinear", fresh("dq")).inputs(id + ".weight_q", id + ".weight_scale",
                id + ".weight_zero_point").outputs(id + ".weight").attr("axis", 0L));
        initializer(Onnx.int32Tensor(id + ".bias_q", perChannel, q.bias()));
        initializer(Onnx.floatTensor(id + ".bias_scale", perChannel, q.biasScale()));
        initializer(Onnx.int32Tensor(id + ".bias_zero_point", perChannel, new int[w.outChannels()]));
        node(new Onnx.Node("DequantizeLinear", fresh("dq")).inputs(id + ".bias_q", id + ".bias_scale",
                id + ".bias_zero_point").outputs(id + ".bias").attr("axis", 0L));
        node(new Onnx.Node("Conv", id).inputs(in(c.input()), id + ".weight", id + ".bias").outputs(out)
                .attrInts("kernel_shape", w.kernel(), w.kernel())
                .attrInts("strides", w.stride(), w.stride())
                .attrInts("pads", w.padding(), w.padding(), w.padding(), w.padding())
                .attrInts("dilations", 1, 1)
                .attr("group", (long) w.groups()));
    }

    /**
     * Σ w_j·x_j. Each scaling is a depthwise 1×1 convolution rather than a Mul by a scalar: ONNX Runtime's
     * NCHWc layout pass keeps convolutions (and the Adds it fuses into them) in its blocked layout, while a
     * Mul with a constant forces a reorder of the map out of it and back.
     */
    private void weightedSum(Op.WeightedSum ws, String out) {
        if (int8WeightedSum(ws, out)) {
            return;
        }
        int[] maps = ws.maps();
        float[] w = ws.weights();
        boolean allOnes = true;
        for (float v : w) {
            allOnes &= v == 1f;
        }
        if (allOnes && maps.length > 1) {
            // One n-ary pass instead of a chain of Adds.
            String[] ins = new String[maps.length];
            for (int j = 0; j < maps.length; j++) {
                ins[j] = in(maps[j]);
            }
            node(new Onnx.Node("Sum", fresh("sum")).inputs(ins).outputs(out));
            return;
        }
        String sum = null;
        for (int j = 0; j < maps.length; j++) {
            String term;
            if (w[j] == 1f && maps.length > 1) {
                term = in(maps[j]);
            } else {
                term = j == 0 && maps.length == 1 ? out : fresh("term");
                scale(maps[j], w[j], term);
            }
            if (sum == null) {
                sum = term;
            } else {
                String next = j == maps.length - 1 ? out : fresh("sum");
                node(new Onnx.Node("Add", fresh("add")).inputs(sum, term).outputs(next));
                sum = next;
            }
        }
    }

    /** w·x of a uint8 map: its codes dequantised at w times its scale. */
    private void rescale(Op.WeightedSum ws) {
        String[] q = quantNames.get(ws.maps()[0]);
        String scale = fresh("rescaled") + ".scale";
        initializer(Onnx.floatScalar(scale, quantParams.get(ws.output())[0]));
        quantNames.put(ws.output(), new String[] {q[0], q[1], scale});
    }

    /**
     * Σ w_j·x_j between uint8 maps: each weight (positive) is folded into the scale of a DequantizeLinear of
     * x_j's uint8 codes. Two terms make one Add between dequantised maps followed by the result's
     * quantisation, which ONNX Runtime fuses into QLinearAdd; with more terms the partial sums stay float32
     * (quantising them to a range bounded from their terms' cost accuracy in the head's fusion of 6 levels).
     *
     * @return false (and nothing written) unless every map and the result are quantised and no weight is negative
     */
    private boolean int8WeightedSum(Op.WeightedSum ws, String out) {
        int[] maps = ws.maps();
        float[] w = ws.weights();
        if (options.int8() == null || !quantParams.containsKey(ws.output())) {
            return false;
        }
        java.util.List<Integer> terms = new java.util.ArrayList<>();
        for (int j = 0; j < maps.length; j++) {
            if (!quantNames.containsKey(maps[j]) || w[j] < 0) {
                return false;
            }
            if (w[j] > 0) {
                // A zero weight (a fusion input the training switched off) adds exactly nothing.
                terms.add(j);
            }
        }
        if (terms.isEmpty()) {
            return false;
        }
        String sum = null;
        for (int k = 0; k < terms.size(); k++) {
            int j = terms.get(k);
            float[] p = quantParams.get(maps[j]);
            String[] q = quantNames.get(maps[j]);
            boolean last = k == terms.size() - 1;
            String id = fresh("fusion_term");
            String term = terms.size() == 1 ? out : id;
            initializer(Onnx.floatScalar(id + ".scale", w[j] * p[0]));
            node(new Onnx.Node("DequantizeLinear", id).inputs(q[0], id + ".scale", q[1]).outputs(term));
            if (sum == null) {
                sum = term;
                continue;
            }
            String next = last ? out : fresh("fusion_sum");
            node(new Onnx.Node("Add", fresh("add")).inputs(sum, term).outputs(next));
            sum = next;
        }
        return true;
    }

    private void scale(int map, float weight, String out) {
        int channels = graph.channels(map);
        String id = fresh("fusion_scale");
        float[] w = new float[channels];
        java.util.Arrays.fill(w, weight);
        initializer(Onnx.floatTensor(id + ".weight", new long[] {channels, 1, 1, 1}, w));
        node(new Onnx.Node("Conv", id).inputs(in(map), id + ".weight").outputs(out)
                .attrInts("kernel_shape", 1, 1).attr("group", (long) channels));
    }

    private void resize(Op.Resize r, String out) {
        String x = in(r.input());
        Integer factor = exactFactor(r);
        if (factor != null) {
            // Constant integer scales (not sizes) give the same result here, and let ONNX Runtime infer
            // every shape statically and run the resize in its NCHWc layout.
            String scales = "scales_x" + factor;
            if (scaleConstants.add(factor)) {
                initializer(Onnx.floatTensor(scales, new long[] {4}, new float[] {1, 1, factor, factor}));
            }
            Onnx.Node n = new Onnx.Node("Resize", fresh("resize")).inputs(x, "", scales).outputs(out);
            node(r.bilinear() ? n.attr("mode", "linear").attr("coordinate_transformation_mode", "half_pixel")
                    : n.attr("mode", "nearest").attr("coordinate_transformation_mode", "asymmetric")
                            .attr("nearest_mode", "floor"));
            return;
        }
        // sizes = (N, C) of the input, then the target H and W.
        String shape = fresh("shape");
        node(new Onnx.Node("Shape", fresh("shape")).inputs(x).outputs(shape));
        String nc = fresh("nc");
        node(new Onnx.Node("Slice", fresh("slice")).inputs(shape, constant(0), constant(2)).outputs(nc));
        String sizes = fresh("sizes");
        node(new Onnx.Node("Concat", fresh("concat")).inputs(nc, targetHw(r)).outputs(sizes).attr("axis", 0L));
        Onnx.Node n = new Onnx.Node("Resize", fresh("resize")).inputs(x, "", "", sizes).outputs(out);
        if (r.bilinear()) {
            n.attr("mode", "linear").attr("coordinate_transformation_mode", "half_pixel");
        } else {
            n.attr("mode", "nearest").attr("coordinate_transformation_mode", "asymmetric")
                    .attr("nearest_mode", "floor");
        }
        node(n);
    }

    /**
     * For a fixed-size export, the integer factor of an upsampling whose target is exactly that many times
     * larger in both dimensions (then scales and sizes give the same result); null otherwise.
     */
    private Integer exactFactor(Op.Resize r) {
        ImageSize s = options.inputSize();
        int from = graph.level(r.input());
        int to = graph.level(r.like());
        if (s == null || to >= from) {
            return null;
        }
        long f = 1L << (from - to);
        boolean exact = InferenceGraph.sizeAt(s.height(), from) * f == InferenceGraph.sizeAt(s.height(), to)
                && InferenceGraph.sizeAt(s.width(), from) * f == InferenceGraph.sizeAt(s.width(), to);
        return exact ? (int) f : null;
    }

    /** The target (H, W) of a resize: a constant for a fixed size, the matched map's shape otherwise. */
    private String targetHw(Op.Resize r) {
        int level = graph.level(r.like());
        return hwByLevel.computeIfAbsent(level, l -> {
            String hw = "hw_level" + l;
            ImageSize s = options.inputSize();
            if (s != null) {
                initializer(Onnx.int64Tensor(hw, new long[] {
                    InferenceGraph.sizeAt(s.height(), l), InferenceGraph.sizeAt(s.width(), l)}));
            } else {
                String shape = fresh("shape");
                node(new Onnx.Node("Shape", fresh("shape")).inputs(name(r.like())).outputs(shape));
                node(new Onnx.Node("Slice", fresh("slice")).inputs(shape, constant(2), constant(4)).outputs(hw));
            }
            return hw;
        });
    }
}
