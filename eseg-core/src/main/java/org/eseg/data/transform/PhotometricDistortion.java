package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.LabeledImage;
import org.eseg.data.RgbImage;

/**
 * mmsegmentation's {@code PhotoMetricDistortion}, each step applied with probability 1/2 and the result clipped to
 * [0, 255]: brightness (add a delta in ±{@code brightnessDelta}), contrast (multiply by a factor in the contrast
 * range) either first or last, saturation (multiply HSV saturation), hue (shift by ±{@code hueDelta} in OpenCV
 * units, i.e. half-degrees). The mask is not touched.
 *
 * @param brightnessDelta largest brightness shift (mmseg: 32)
 * @param contrastLow smallest contrast factor (0.5)
 * @param contrastHigh largest contrast factor (1.5)
 * @param saturationLow smallest saturation factor (0.5)
 * @param saturationHigh largest saturation factor (1.5)
 * @param hueDelta largest hue shift in OpenCV units of 2 degrees (18)
 */
public record PhotometricDistortion(double brightnessDelta, double contrastLow, double contrastHigh,
        double saturationLow, double saturationHigh, int hueDelta) implements Transform {

    /**
     * The mmsegmentation defaults.
     *
     * @return the transform
     */
    public static PhotometricDistortion mmseg() {
        return new PhotometricDistortion(32, 0.5, 1.5, 0.5, 1.5, 18);
    }

    @Override
    public LabeledImage apply(LabeledImage in, RandomGenerator rng) {
        // Draw every decision up front, in a fixed order, so the generator's use never depends on the outcome.
        boolean doBright = rng.nextInt(2) == 1;
        double bright = uniform(rng, -brightnessDelta, brightnessDelta);
        boolean contrastFirst = rng.nextInt(2) == 1;
        boolean doContrast = rng.nextInt(2) == 1;
        double contrast = uniform(rng, contrastLow, contrastHigh);
        boolean doSat = rng.nextInt(2) == 1;
        double sat = uniform(rng, saturationLow, saturationHigh);
        boolean doHue = rng.nextInt(2) == 1;
        int hue = rng.nextInt(-hueDelta, hueDelta + 1);
        if (!doBright && !doContrast && !doSat && !doHue) {
            return in;
        }
        RgbImage img = in.image().copy();
        float[] d = img.data();
        if (doBright) {
            affine(d, 1, bright);
        }
        if (contrastFirst && doContrast) {
            affine(d, contrast, 0);
        }
        if (doSat || doHue) {
            hsv(d, img.height() * img.width(), doSat ? sat : 1, doHue ? hue * 2.0 : 0);
        }
        if (!contrastFirst && doContrast) {
            affine(d, contrast, 0);
        }
        return new LabeledImage(in.id(), img, in.mask());
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static void affine(float[] d, double alpha, double beta) {
        float a = (float) alpha;
        float b = (float) beta;
        for (int i = 0; i < d.length; i++) {
            d[i] = clip(d[i] * a + b);
        }
    }

    private static float clip(float v) {
        return v < 0 ? 0 : Math.min(v, 255f);
    }

    /** Scales saturation and rotates hue (degrees) per pixel through HSV. */
    private static void hsv(float[] d, int n, double satScale, double hueShiftDeg) {
        for (int i = 0; i < n; i++) {
            float r = d[i];
            float g = d[n + i];
            float b = d[2 * n + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float delta = max - min;
            float v = max;
            float s = max > 0 ? delta / max : 0;
            float h = 0;
            if (delta > 0) {
                if (max == r) {
                    h = 60f * ((g - b) / delta);
                } else if (max == g) {
                    h = 60f * ((b - r) / delta + 2f);
                } else {
                    h = 60f * ((r - g) / delta + 4f);
                }
            }
            s = Math.min(1f, (float) (s * satScale));
            h = (float) ((h + hueShiftDeg) % 360.0);
            if (h < 0) {
                h += 360f;
            }
            float c = v * s;
            float hp = h / 60f;
            float x = c * (1f - Math.abs(hp % 2f - 1f));
            float r1;
            float g1;
            float b1;
            switch ((int) hp) {
                case 0 -> { r1 = c; g1 = x; b1 = 0; }
                case 1 -> { r1 = x; g1 = c; b1 = 0; }
                case 2 -> { r1 = 0; g1 = c; b1 = x; }
                case 3 -> { r1 = 0; g1 = x; b1 = c; }
                case 4 -> { r1 = x; g1 = 0; b1 = c; }
                default -> { r1 = c; g1 = 0; b1 = x; }
            }
            float m = v - c;
            d[i] = clip(r1 + m);
            d[n + i] = clip(g1 + m);
            d[2 * n + i] = clip(b1 + m);
        }
    }
}
