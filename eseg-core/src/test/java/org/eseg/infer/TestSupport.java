package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.Random;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ParameterNames;

/** Random-weight models whose BatchNorm statistics and fusion weights are far from their defaults. */
public final class TestSupport {

    private TestSupport() {}

    /**
     * Builds a model and gives every BatchNorm random γ, β, running mean and variance, and every fusion
     * weight a random value (some negative, so that BiFPN's relu clips them), so that folding is tested
     * on non-trivial numbers.
     */
    public static EsegModel randomModel(EsegConfig config, NDManager manager, long seed) {
        EsegModel model = EsegModel.create(config);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        Random rng = new Random(seed);
        for (Map.Entry<String, Parameter> e : ParameterNames.of(model).entrySet()) {
            String name = e.getKey();
            NDArray a = e.getValue().getArray();
            int n = (int) a.size();
            float[] v = new float[n];
            if (name.endsWith("gamma")) {
                fill(v, rng, 0.5, 1.5);
            } else if (name.endsWith("beta") || name.endsWith("runningMean")) {
                fill(v, rng, -0.3, 0.3);
            } else if (name.endsWith("runningVar")) {
                fill(v, rng, 0.5, 2.0);
            } else if (name.endsWith("weights")) {
                fill(v, rng, -0.5, 2.0);
            } else {
                continue;
            }
            manager.create(v, a.getShape()).copyTo(a);
        }
        return model;
    }

    private static void fill(float[] v, Random rng, double lo, double hi) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + rng.nextDouble() * (hi - lo));
        }
    }

    /** A deterministic image in [-2, 2]. */
    public static float[] image(long n, long h, long w) {
        float[] x = new float[(int) (n * 3 * h * w)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * Math.sin(0.37 * i));
        }
        return x;
    }

    /** The largest absolute difference. */
    public static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** The largest absolute value. */
    public static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** The share of equal entries. */
    public static double agreement(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }
}
