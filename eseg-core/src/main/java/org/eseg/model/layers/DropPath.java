package org.eseg.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import java.util.SplittableRandom;

/**
 * Stochastic depth ("drop connect" in EfficientNet): in training, each sample's residual branch is zeroed
 * with probability {@code rate} and the kept ones are scaled by 1/(1-rate).
 *
 * <p>The random draws come from Java, not from libtorch, so that a training step can be replayed exactly
 * after a resume: the trainer passes a per-step seed in the forward parameters under {@link #SEED_KEY};
 * each block mixes in its own salt.
 */
public final class DropPath {

    /** Forward-parameter key holding a {@code Long} seed for this step. */
    public static final String SEED_KEY = "eseg.dropPathSeed";

    private DropPath() {}

    /**
     * Applies stochastic depth to a residual branch.
     *
     * @param branch the residual branch (N, C, H, W)
     * @param rate drop probability in [0, 1)
     * @param training whether in training mode; outside training this is the identity
     * @param params forward parameters, possibly holding {@link #SEED_KEY}
     * @param salt a value unique to the calling block
     * @return the branch, possibly with samples zeroed
     */
    public static NDArray apply(
            NDArray branch, double rate, boolean training, PairList<String, Object> params, long salt) {
        if (!training || rate <= 0) {
            return branch;
        }
        SplittableRandom rng = new SplittableRandom(seed(params) * 0x9E3779B97F4A7C15L + salt);
        int n = (int) branch.getShape().get(0);
        float keep = (float) (1 - rate);
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextDouble() < keep ? 1f / keep : 0f;
        }
        NDArray m = branch.getManager().create(mask, new Shape(n, 1, 1, 1));
        return branch.mul(m);
    }

    private static long seed(PairList<String, Object> params) {
        if (params != null) {
            Object v = params.get(SEED_KEY);
            if (v instanceof Long l) {
                return l;
            }
        }
        return System.nanoTime();
    }
}
