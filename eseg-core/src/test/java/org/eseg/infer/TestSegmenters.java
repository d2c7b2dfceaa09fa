package org.eseg.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.eseg.data.RgbImage;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;

/** Small untrained models and images for the inference tests. */
final class TestSegmenters {

    private TestSegmenters() {}

    /** eseg-lite-s with random weights. */
    static EsegModel model(NDManager manager, int classes) {
        EsegModel model = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(classes));
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return model;
    }

    /** A random image in [0, 255]. */
    static RgbImage image(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[3 * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(256);
        }
        return new RgbImage(h, w, d);
    }

    /** The image mirrored left-right. */
    static RgbImage mirror(RgbImage img) {
        int h = img.height();
        int w = img.width();
        float[] d = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(c * h + y) * w + x] = img.get(c, y, w - 1 - x);
                }
            }
        }
        return new RgbImage(h, w, d);
    }

    /** An image whose right half mirrors its left half. */
    static RgbImage symmetric(int h, int w, long seed) {
        RgbImage img = image(h, w, seed);
        float[] d = img.data();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w / 2; x++) {
                    d[(c * h + y) * w + (w - 1 - x)] = d[(c * h + y) * w + x];
                }
            }
        }
        return img;
    }

    /** Mirrors (C, H, W) row-major values left-right. */
    static float[] mirror(float[] chw, int channels, int h, int w) {
        float[] out = new float[chw.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = chw[(c * h + y) * w + (w - 1 - x)];
                }
            }
        }
        return out;
    }
}
