package org.eseg.util;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a seed and a few coordinates, so that every sample's randomness is a
 * pure function of (seed, epoch, position) and never of thread scheduling.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Mixes a seed with coordinates (SplitMix64 finaliser after each step).
     *
     * @param seed the base seed
     * @param coords the coordinates
     * @return a well-mixed 64-bit seed
     */
    public static long mix(long seed, long... coords) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        for (long c : coords) {
            h = mix64(h + 0x9E3779B97F4A7C15L * (c + 1));
        }
        return h;
    }

    /**
     * A generator for the given coordinates.
     *
     * @param seed the base seed
     * @param coords the coordinates
     * @return the generator
     */
    public static SplittableRandom random(long seed, long... coords) {
        return new SplittableRandom(mix(seed, coords));
    }

    /**
     * A random permutation of 0..n-1 (Fisher-Yates) for the given coordinates.
     *
     * @param n the length
     * @param seed the base seed
     * @param coords the coordinates
     * @return the permutation
     */
    public static int[] permutation(int n, long seed, long... coords) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = random(seed, coords);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
