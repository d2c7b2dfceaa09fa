package org.eseg.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java API: many threads on one segmenter, and the DJL Predictor way. */
class SegmenterTest {

    @TempDir
    Path tmp;

    private Path modelFile(int classes) throws Exception {
        Path file = tmp.resolve("m.eseg");
        try (NDManager m = NDManager.newBaseManager()) {
            ModelFile.save(TestSegmenters.model(m, classes), file);
        }
        return file;
    }

    @ParameterizedTest
    @EnumSource(RuntimeKind.class)
    void eightThreadsOnOneSegmenterGetTheSameAnswersAsOne(RuntimeKind runtime) throws Exception {
        int threads = 8;
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            images.add(TestSegmenters.image(16 + 2 * (i % 2), 24, 10 + i));
        }
        InferenceOptions options = InferenceOptions.DEFAULT;
        try (Segmenter s = Segmenter.load(modelFile(5), runtime, RuntimeOptions.DEFAULT)) {
            assertEquals(runtime, s.runtime());
            List<Segmentation> expected = new ArrayList<>();
            for (RgbImage img : images) {
                expected.add(s.segment(img, options));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Segmentation>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<Segmentation> out = new ArrayList<>();
                        for (int i = 0; i < threads; i++) { // every thread does every image, in its own order
                            out.add(s.segment(images.get((first + i) % threads), options));
                        }
                        return out;
                    }));
                }
                start.countDown();
                for (int t = 0; t < threads; t++) {
                    List<Segmentation> got = results.get(t).get();
                    for (int j = 0; j < got.size(); j++) {
                        Segmentation want = expected.get((t + j) % threads);
                        assertArrayEquals(want.labels(), got.get(j).labels(), "thread " + t + " call " + j);
                        assertArrayEquals(want.confidence(), got.get(j).confidence(), "thread " + t + " call " + j);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void djlPredictorGivesTheSegmentersAnswer() throws Exception {
        BufferedImage img = new BufferedImage(15, 11, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(4);
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 15; x++) {
                img.setRGB(x, y, r.nextInt(0xFFFFFF));
            }
        }
        try (Segmenter s = Segmenter.load(modelFile(3))) {
            for (InferenceOptions o : List.of(InferenceOptions.DEFAULT, InferenceOptions.multiScaleFlip())) {
                Segmentation want = s.segment(ImageFiles.toRgb(img, null), o);
                try (Model model = s.djlModel(o);
                        Predictor<Image, Segmentation> p = model.newPredictor(new SegmenterTranslator())) {
                    Segmentation got = p.predict(ImageFactory.getInstance().fromImage(img));
                    assertEquals(11, got.height());
                    assertEquals(15, got.width());
                    assertArrayEquals(want.labels(), got.labels());
                    assertArrayEquals(want.confidence(), got.confidence());
                }
            }
        }
    }

    @Test
    void lowLevelModelWithSegmentationBlockWorks() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel eseg = TestSegmenters.model(m, 3);
            RgbImage rgb = TestSegmenters.image(16, 20, 9);
            Segmentation want;
            try (Segmenter s = Segmenter.of(eseg, Segmenter.defaultClasses(3), m)) {
                want = s.segment(rgb);
            }
            BufferedImage img = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 20; x++) {
                    img.setRGB(x, y, ((int) rgb.get(0, y, x) << 16) | ((int) rgb.get(1, y, x) << 8) | (int) rgb.get(2, y, x));
                }
            }
            try (Model model = Model.newInstance("eseg", "PyTorch")) {
                model.setBlock(new SegmentationBlock(eseg, InferenceOptions.DEFAULT));
                try (Predictor<Image, Segmentation> p = model.newPredictor(new SegmenterTranslator())) {
                    Segmentation got = p.predict(ImageFactory.getInstance().fromImage(img));
                    assertArrayEquals(want.labels(), got.labels());
                }
            }
        }
    }
}
