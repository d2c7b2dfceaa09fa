package org.eseg.data.synth;

/** Smooth lattice ("value") noise from an integer hash: cheap, deterministic texture for the synthetic scenes. */
final class ValueNoise {

    private final int seed;

    ValueNoise(int seed) {
        this.seed = seed;
    }

    /** A hash of a lattice point to [0, 1). */
    float lattice(int x, int y) {
        int h = seed ^ (x * 0x27D4EB2D) ^ (y * 0x165667B1);
        h = (h ^ (h >>> 15)) * 0x85EBCA6B;
        h = (h ^ (h >>> 13)) * 0xC2B2AE35;
        h ^= h >>> 16;
        return (h >>> 8) * (1f / (1 << 24));
    }

    /** Smoothly interpolated noise in [0, 1) at a point (lattice spacing 1). */
    float at(float x, float y) {
        int xi = (int) Math.floor(x);
        int yi = (int) Math.floor(y);
        float fx = x - xi;
        float fy = y - yi;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        float a = lattice(xi, yi);
        float b = lattice(xi + 1, yi);
        float c = lattice(xi, yi + 1);
        float d = lattice(xi + 1, yi + 1);
        float top = a + (b - a) * fx;
        float bottom = c + (d - c) * fx;
        return top + (bottom - top) * fy;
    }

    /** Two octaves of noise in [0, 1). */
    float fbm(float x, float y) {
        return 0.65f * at(x, y) + 0.35f * at(2.03f * x + 17.1f, 2.03f * y + 5.3f);
    }
}
