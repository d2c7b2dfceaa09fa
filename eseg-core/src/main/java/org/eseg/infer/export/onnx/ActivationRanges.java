package org.eseg.infer.export.onnx;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calibrated range of every intermediate map of an inference graph, by value id: what an int8 export
 * turns into per-tensor uint8 scales and zero points.
 */
public final class ActivationRanges {

    /** The uint8 code range of an activation. */
    static final int QMAX = 255;

    private final Map<Integer, float[]> ranges = new TreeMap<>();

    /**
     * Records the range of a value.
     *
     * @param id value id
     * @param lo smallest value to represent
     * @param hi largest value to represent
     * @return this
     * @throws IllegalArgumentException if the range is not finite or lo > hi
     */
    public ActivationRanges put(int id, float lo, float hi) {
        if (!Float.isFinite(lo) || !Float.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("bad range [" + lo + ", " + hi + "] for value " + id);
        }
        ranges.put(id, new float[] {lo, hi});
        return this;
    }

    /**
     * Whether a value has a range.
     *
     * @param id value id
     * @return true if calibrated
     */
    public boolean has(int id) {
        return ranges.containsKey(id);
    }

    /**
     * The recorded ranges.
     *
     * @return value id to {lo, hi}, read-only
     */
    public Map<Integer, float[]> asMap() {
        return Collections.unmodifiableMap(ranges);
    }

    /**
     * The uint8 scale and zero point of a value: the range is widened to include 0 (so that zero padding
     * and ReLU's zeros are exact) and spread over 0..255.
     *
     * @param id value id
     * @return {scale, zeroPoint}
     */
    float[] uint8Params(int id) {
        float[] r = ranges.get(id);
        return uint8Params(r[0], r[1]);
    }

    /**
     * The uint8 scale and zero point of a range, as {@link #uint8Params(int)}.
     *
     * @param rangeLo smallest value
     * @param rangeHi largest value
     * @return {scale, zeroPoint}
     */
    static float[] uint8Params(float rangeLo, float rangeHi) {
        float lo = Math.min(0f, rangeLo);
        float hi = Math.max(0f, rangeHi);
        float scale = (hi - lo) / QMAX;
        if (!(scale > 0)) {
            return new float[] {1f / QMAX, 0f};
        }
        float zp = Math.round(-lo / scale);
        return new float[] {scale, Math.max(0, Math.min(QMAX, zp))};
    }
}
