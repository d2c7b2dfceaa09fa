package org.eseg.infer.export.torchscript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eseg.graph.ConvWeights;
import org.eseg.graph.InferenceGraph;
import org.eseg.graph.Op;
import org.eseg.util.AtomicFiles;
import org.eseg.util.torchscript.ModulePickle;
import org.eseg.util.torchscript.TorchScriptArchive;

/**
 * Writes an {@link InferenceGraph} as a TorchScript archive, the format {@code torch.jit.load} and DJL's
 * PyTorch engine load: folded weights as tensor attributes, {@code forward(x)} as generated source,
 * (N, 3, H, W) float image in, (N, classes, H, W) logits out, any input size. No Python is involved:
 * libtorch compiles the source when it loads the file.
 *
 * <p>Archive layout (as {@code torch.jit.save} writes it): {@code version}, {@code byteorder},
 * {@code data.pkl} (the module object), {@code constants.pkl}, {@code code/__torch__.py} and one
 * {@code data/<n>} entry of raw little-endian floats per tensor.
 */
public final class TorchScriptExporter {

    /** The generated module class. */
    public static final String CLASS_NAME = "EsegNet";

    private TorchScriptExporter() {}

    /**
     * Serialises a graph with maps computed in channels-last memory order.
     *
     * @param graph the compiled model
     * @return the archive bytes
     */
    public static byte[] export(InferenceGraph graph) {
        return export(graph, true);
    }

    /**
     * Serialises a graph.
     *
     * @param graph the compiled model
     * @param channelsLast compute in NHWC memory order (fastest with oneDNN on CPU); the input and the
     *     logits are plain NCHW either way
     * @return the archive bytes
     */
    public static byte[] export(InferenceGraph graph, boolean channelsLast) {
        Names names = names(graph);
        Map<String, float[]> data = new LinkedHashMap<>();
        List<ModulePickle.TensorRef> refs = new ArrayList<>();
        for (Map.Entry<Op.Conv, String> e : names.convs().entrySet()) {
            ConvWeights w = e.getKey().weights();
            long[] size = w.weightShape();
            float[] weight = channelsLast ? toChannelsLast(w.weight(), size) : w.weight();
            refs.add(tensor(e.getValue() + "_weight", data, weight, size,
                    channelsLast ? channelsLastStrides(size) : contiguousStrides(size)));
            if (w.bias() != null) {
                refs.add(tensor(e.getValue() + "_bias", data, w.bias(), new long[] {w.outChannels()}, new long[] {1}));
            }
        }
        String source = TorchScriptSource.print(graph, CLASS_NAME, names.convs(), names.tensors(), channelsLast);
        return TorchScriptArchive.write("eseg", CLASS_NAME, source, refs, data);
    }

    /**
     * Writes a graph to a file atomically.
     *
     * @param graph the compiled model
     * @param file target (replaced atomically)
     * @throws IOException if it cannot be written
     */
    public static void write(InferenceGraph graph, Path file) throws IOException {
        byte[] bytes = export(graph);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * The generated {@code forward} source, for reading and debugging.
     *
     * @param graph the compiled model
     * @return the code of {@code code/__torch__.py}
     */
    public static String source(InferenceGraph graph) {
        Names names = names(graph);
        return TorchScriptSource.print(graph, CLASS_NAME, names.convs(), names.tensors(), true);
    }

    /** Attribute names: {@code conv<n>_weight} and {@code conv<n>_bias} for the n-th convolution. */
    private record Names(Map<Op.Conv, String> convs, List<String> tensors) {}

    private static Names names(InferenceGraph graph) {
        Map<Op.Conv, String> convs = new LinkedHashMap<>();
        List<String> tensors = new ArrayList<>();
        for (Op op : graph.ops()) {
            if (op instanceof Op.Conv c) {
                String name = "conv" + convs.size();
                convs.put(c, name);
                tensors.add(name + "_weight");
                if (c.weights().bias() != null) {
                    tensors.add(name + "_bias");
                }
            }
        }
        return new Names(convs, tensors);
    }

    private static ModulePickle.TensorRef tensor(String name, Map<String, float[]> data, float[] values,
            long[] size, long[] stride) {
        String key = Integer.toString(data.size());
        data.put(key, values);
        return new ModulePickle.TensorRef(name, key, values.length, size, stride);
    }

    /** (O, I, kh, kw) row-major to (O, kh, kw, I) row-major: the same tensor stored channels-last. */
    static float[] toChannelsLast(float[] w, long[] size) {
        int o = (int) size[0];
        int c = (int) size[1];
        int h = (int) size[2];
        int wd = (int) size[3];
        float[] r = new float[w.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < c; b++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < wd; x++) {
                        r[((a * h + y) * wd + x) * c + b] = w[((a * c + b) * h + y) * wd + x];
                    }
                }
            }
        }
        return r;
    }

    private static long[] channelsLastStrides(long[] size) {
        long c = size[1];
        long h = size[2];
        long w = size[3];
        return new long[] {c * h * w, 1, w * c, c};
    }

    private static long[] contiguousStrides(long[] size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= size[i];
        }
        return stride;
    }
}
