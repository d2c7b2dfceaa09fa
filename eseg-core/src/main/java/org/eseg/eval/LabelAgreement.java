package org.eseg.eval;

import java.util.function.IntConsumer;
import org.eseg.data.Dataset;
import org.eseg.data.RgbImage;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.Segmenter;

/**
 * How often two segmenters (e.g. one model in float32 and in int8) predict the same label: the fraction of
 * all pixels of a dataset's images, ground truth not consulted.
 */
public final class LabelAgreement {

    private LabelAgreement() {}

    /**
     * Runs both segmenters over the images and counts equal labels.
     *
     * @param reference e.g. the float32 segmenter
     * @param candidate e.g. the reduced-precision one
     * @param dataset the images (masks unused)
     * @param limit at most this many images (0: all)
     * @param options scales, flip and window, the same for both
     * @param progress called with the number of images done (may be null)
     * @return equal pixels / all pixels
     */
    public static double measure(Segmenter reference, Segmenter candidate, Dataset dataset, int limit,
            InferenceOptions options, IntConsumer progress) {
        int n = limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
        long same = 0;
        long all = 0;
        for (int i = 0; i < n; i++) {
            RgbImage image = dataset.load(i).image();
            byte[] a = reference.segment(image, options).labels();
            byte[] b = candidate.segment(image, options).labels();
            for (int j = 0; j < a.length; j++) {
                same += a[j] == b[j] ? 1 : 0;
            }
            all += a.length;
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        return all == 0 ? Double.NaN : (double) same / all;
    }
}
