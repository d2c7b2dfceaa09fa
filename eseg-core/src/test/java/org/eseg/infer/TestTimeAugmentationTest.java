package org.eseg.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageTensors;
import org.eseg.model.EsegModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Multi-scale and flip test-time augmentation, and sliding windows, on a small untrained model. */
class TestTimeAugmentationTest {

    static final int CLASSES = 4;
    static NDManager manager;
    static EsegModel model;
    static Segmenter segmenter;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        model = TestSegmenters.model(manager, CLASSES);
        segmenter = Segmenter.of(model, Segmenter.defaultClasses(CLASSES), manager);
    }

    @AfterAll
    static void tearDown() {
        segmenter.close();
        manager.close();
    }

    private static float[] plainSoftmax(RgbImage img) {
        try (NDManager m = manager.newSubManager()) {
            return Inference.logits(model, ImageTensors.input(img, m)).softmax(1).toFloatArray();
        }
    }

    @Test
    void scaleOneWithoutFlipEqualsTheSingleScaleOutputExactly() {
        RgbImage img = TestSegmenters.image(24, 40, 1);
        InferenceOptions one = InferenceOptions.tta(List.of(1.0), false);
        assertArrayEquals(plainSoftmax(img), segmenter.probabilities(img, one));
        Segmentation a = segmenter.segment(img);
        Segmentation b = segmenter.segment(img, one);
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.confidence(), b.confidence());
    }

    @Test
    void flipTtaOfTheMirroredImageIsTheMirroredFlipTtaExactly() {
        int h = 24;
        int w = 40;
        RgbImage img = TestSegmenters.image(h, w, 2);
        InferenceOptions flip = InferenceOptions.tta(List.of(1.0), true);
        float[] p = segmenter.probabilities(img, flip);
        float[] q = segmenter.probabilities(TestSegmenters.mirror(img), flip);
        assertArrayEquals(p, TestSegmenters.mirror(q, CLASSES, h, w));
        // And it is not a no-op: the untrained network is not mirror-equivariant.
        assertFalse(java.util.Arrays.equals(p, plainSoftmax(img)));
    }

    @Test
    void flipTtaOfASymmetricImageIsSymmetric() {
        int h = 20;
        int w = 32;
        RgbImage img = TestSegmenters.symmetric(h, w, 3);
        assertArrayEquals(img.data(), TestSegmenters.mirror(img).data());
        InferenceOptions flip = InferenceOptions.tta(List.of(1.0), true);
        float[] p = segmenter.probabilities(img, flip);
        assertArrayEquals(p, TestSegmenters.mirror(p, CLASSES, h, w));
        Segmentation s = segmenter.segment(img, flip);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(s.label(y, x), s.label(y, w - 1 - x), "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void multiScaleFlipAveragesProbabilitiesAtTheInputSize() {
        int h = 13;
        int w = 17;
        RgbImage img = TestSegmenters.image(h, w, 4);
        float[] p = segmenter.probabilities(img, InferenceOptions.multiScaleFlip());
        assertEquals(CLASSES * h * w, p.length);
        for (int i = 0; i < h * w; i++) {
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += p[c * h * w + i];
            }
            assertEquals(1.0, sum, 1e-5);
        }
        // The mean of the per-pass probabilities, each computed on its own.
        float[] expected = new float[p.length];
        for (double s : List.of(0.5, 1.0, 2.0)) {
            for (boolean f : new boolean[] {false, true}) {
                float[] one = passProbabilities(img, s, f);
                for (int i = 0; i < one.length; i++) {
                    expected[i] += one[i] / 6;
                }
            }
        }
        assertArrayEquals(expected, p, 1e-5f);
    }

    /** One pass by hand: resize, (mirror), run, (mirror back), resize logits back, softmax. */
    private static float[] passProbabilities(RgbImage img, double scale, boolean flip) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = ImageTensors.input(img, m);
            x = org.eseg.model.layers.Resize.bilinear(x, InferenceOptions.scaled(img.height(), scale),
                    InferenceOptions.scaled(img.width(), scale));
            NDArray logits = Inference.logits(model, flip ? x.flip(3) : x);
            if (flip) {
                logits = logits.flip(3);
            }
            return org.eseg.model.layers.Resize.bilinear(logits, img.height(), img.width()).softmax(1).toFloatArray();
        }
    }

    @Test
    void slidingWindowsAverageOverlapsAndEqualWholeImageForAPerPixelNetwork() {
        try (NDManager m = manager.newSubManager()) {
            NDArray images = m.randomUniform(-2f, 2f, new ai.djl.ndarray.types.Shape(1, 3, 23, 37));
            // A per-pixel "network": any window sees the same value at a pixel.
            java.util.function.UnaryOperator<NDArray> net = x -> x.mul(3f).sin();
            NDArray whole = net.apply(images);
            NDArray slid = Inference.slide(net, images, new SlidingWindow(10, 16, 6, 9));
            assertArrayEquals(whole.toFloatArray(), slid.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void windowStartsFollowMmsegmentation() {
        assertArrayEquals(new int[] {0, 6, 12, 13}, SlidingWindow.starts(23, 10, 6));
        assertArrayEquals(new int[] {0}, SlidingWindow.starts(8, 10, 6));
        assertArrayEquals(new int[] {0, 1024}, SlidingWindow.starts(2048, 1024, 1024));
        assertArrayEquals(new int[] {0, 683, 1024}, SlidingWindow.starts(2048, 1024, 683));
    }

    @Test
    void aWindowLargerThanTheImageIsTheWholeImageExactly() {
        RgbImage img = TestSegmenters.image(24, 40, 5);
        InferenceOptions slide = InferenceOptions.DEFAULT.withWindow(new SlidingWindow(32, 64, 16, 32));
        assertArrayEquals(plainSoftmax(img), segmenter.probabilities(img, slide));
    }

    @Test
    void slidingWindowsOnTheModelKeepTheSize() {
        RgbImage img = TestSegmenters.image(24, 40, 6);
        InferenceOptions slide = InferenceOptions.DEFAULT.withWindow(new SlidingWindow(16, 24, 12, 18));
        Segmentation s = segmenter.segment(img, slide);
        assertEquals(24, s.height());
        assertEquals(40, s.width());
    }

    @Test
    void windowByWindowSegmentationEqualsTheWholeImageSlidingPath() {
        // Bands of windows at rows 0, 8, 16, 24, 32, 34: the one-window-tall buffer is reused several times.
        RgbImage img = TestSegmenters.image(50, 53, 7);
        SlidingWindow window = new SlidingWindow(16, 24, 8, 17);
        InferenceOptions slide = InferenceOptions.DEFAULT.withWindow(window);
        assertTrue(StreamingSlide.applies(slide));
        Segmentation streamed = segmenter.segment(img, slide);
        Segmentation whole = Segmentation.fromProbabilities(segmenter.probabilities(img, slide), CLASSES, 50, 53);
        assertArrayEquals(whole.labels(), streamed.labels());
        assertArrayEquals(whole.confidence(), streamed.confidence(), 1e-5f);
        byte[] labels = streamed.labels();
        assertTrue(java.util.stream.IntStream.range(0, labels.length).map(i -> labels[i]).distinct().count() > 1,
                "more than one class predicted: the comparison means something");
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> InferenceOptions.tta(List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> InferenceOptions.tta(List.of(0.0), false));
        assertThrows(IllegalArgumentException.class, () -> InferenceOptions.tta(List.of(Double.NaN), false));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(8, 8, 9, 4));
        assertThrows(IllegalArgumentException.class, () -> Segmenter.of(model, new ClassInfo(List.of("a"), new int[] {1}), manager));
    }
}
