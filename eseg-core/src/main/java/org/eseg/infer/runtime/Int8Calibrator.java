package org.eseg.infer.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.eseg.graph.InferenceGraph;
import org.eseg.graph.Op;
import org.eseg.infer.export.onnx.ActivationRanges;
import org.eseg.infer.export.onnx.OnnxExportOptions;
import org.eseg.infer.export.onnx.OnnxExporter;

/**
 * Calibrates an int8 export: runs the float32 graph on ONNX Runtime with every intermediate map as an output,
 * over the calibration images, and records each map's range (min/max, or percentiles of a strided sample of
 * its values).
 */
public final class Int8Calibrator {

    /** Values sampled per map over all images for a percentile range. */
    private static final int SAMPLES_PER_MAP = 1 << 16;

    private Int8Calibrator() {}

    /**
     * Measures the activation ranges of a graph.
     *
     * @param graph the float32 network
     * @param calibration images and summary
     * @param options threads
     * @return the range of every intermediate map
     */
    public static ActivationRanges calibrate(InferenceGraph graph, Calibration calibration, RuntimeOptions options) {
        byte[] probe = OnnxExporter.export(graph, OnnxExportOptions.DEFAULT.withProbes());
        int n = calibration.images().size();
        boolean percentile = calibration.percentile() < Calibration.MIN_MAX;
        Observed seen = new Observed(percentile ? Math.max(256, SAMPLES_PER_MAP / n) : 0, n);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(Math.max(0, options.threads()));
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(probe, so)) {
                for (FloatTensor image : calibration.images()) {
                    seen.add(InferenceGraph.INPUT, FloatBuffer.wrap(image.data()));
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(image.data()), image.shape());
                            OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, in))) {
                        for (Op op : graph.ops()) {
                            if (op.output() != graph.output()) {
                                OnnxTensor t = (OnnxTensor) result.get("t" + op.output()).orElseThrow();
                                seen.add(op.output(), t.getFloatBuffer());
                            }
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("calibration run failed: " + e.getMessage(), e);
        }
        ActivationRanges ranges = new ActivationRanges();
        for (Map.Entry<Integer, float[]> e : seen.minMax.entrySet()) {
            float[] mm = e.getValue();
            if (percentile) {
                float[] s = Arrays.copyOf(seen.samples.get(e.getKey()), seen.filled.get(e.getKey()));
                Arrays.sort(s);
                float lo = at(s, (100 - calibration.percentile()) / 100);
                float hi = at(s, calibration.percentile() / 100);
                ranges.put(e.getKey(), Math.max(mm[0], Math.min(lo, hi)), Math.min(mm[1], Math.max(lo, hi)));
            } else {
                ranges.put(e.getKey(), mm[0], mm[1]);
            }
        }
        return ranges;
    }

    /** Each map's min/max so far and, for percentiles, a strided sample of its values. */
    private static final class Observed {
        final Map<Integer, float[]> minMax = new HashMap<>();
        final Map<Integer, float[]> samples = new HashMap<>();
        final Map<Integer, Integer> filled = new HashMap<>();
        private final int perImage;
        private final int images;

        Observed(int perImage, int images) {
            this.perImage = perImage;
            this.images = images;
        }

        void add(int id, FloatBuffer b) {
            float[] mm = minMax.computeIfAbsent(id, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
            int size = b.remaining();
            int stride = perImage > 0 ? Math.max(1, size / perImage) : Integer.MAX_VALUE;
            float[] s = perImage > 0 ? samples.computeIfAbsent(id, k -> new float[perImage * images]) : null;
            int f = filled.getOrDefault(id, 0);
            for (int i = 0; i < size; i++) {
                float v = b.get(i);
                mm[0] = Math.min(mm[0], v);
                mm[1] = Math.max(mm[1], v);
                if (s != null && i % stride == 0 && f < s.length) {
                    s[f++] = v;
                }
            }
            filled.put(id, f);
        }
    }

    private static float at(float[] sorted, double q) {
        int i = (int) Math.round(q * (sorted.length - 1));
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
