package org.eseg.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.eseg.data.LabelMap;
import org.eseg.data.LabeledImage;
import org.eseg.data.RgbImage;
import org.junit.jupiter.api.Test;

class TransformTest {

    private static final int BLOCK = 16;
    private static final int CLASSES = 5;

    /** The colour that identifies a class (or grey for ignore). */
    private static int[] colour(int label) {
        if (label == 255) {
            return new int[] {128, 128, 128};
        }
        return new int[] {label * 50, 255 - label * 40, (label * 70 + 30) % 256};
    }

    /** The class of a colour, or -1: the inverse of {@link #colour} on exact colours. */
    private static int classOf(float r, float g, float b) {
        for (int l = 0; l < CLASSES; l++) {
            int[] c = colour(l);
            if (Math.abs(r - c[0]) < 1e-3 && Math.abs(g - c[1]) < 1e-3 && Math.abs(b - c[2]) < 1e-3) {
                return l;
            }
        }
        return -1;
    }

    /** Big constant-colour blocks whose colour encodes the label; one block in seven is ignore. */
    static LabeledImage blocks(int h, int w) {
        RgbImage img = RgbImage.zeros(h, w);
        byte[] lab = new byte[h * w];
        int n = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int bx = x / BLOCK;
                int by = y / BLOCK;
                int l = (bx * 3 + by * 5) % 7 == 6 ? 255 : (bx + 2 * by) % CLASSES;
                int[] c = colour(l);
                for (int ch = 0; ch < 3; ch++) {
                    img.data()[ch * n + y * w + x] = c[ch];
                }
                lab[y * w + x] = (byte) l;
            }
        }
        return new LabeledImage("blocks", img, new LabelMap(h, w, lab));
    }

    private static Set<Integer> values(LabelMap m) {
        Set<Integer> s = new HashSet<>();
        for (byte b : m.labels()) {
            s.add(b & 0xFF);
        }
        return s;
    }

    @Test
    void cropSizeIsExactAndSmallInputsArePadded() {
        LabeledImage small = blocks(10, 12);
        LabeledImage out = new RandomCrop(16, 20, 1).apply(small, new SplittableRandom(1));
        assertEquals(16, out.image().height());
        assertEquals(20, out.image().width());
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 20; x++) {
                boolean inside = y < 10 && x < 12;
                if (!inside) {
                    assertEquals(255, out.mask().get(y, x));
                    assertEquals(0f, out.image().get(1, y, x));
                } else {
                    assertEquals(small.mask().get(y, x), out.mask().get(y, x));
                }
            }
        }
        Augmentation aug = Augmentation.paper(48, 64);
        for (int seed = 0; seed < 20; seed++) {
            LabeledImage a = aug.apply(blocks(40 + seed * 3, 90 - seed), new SplittableRandom(seed));
            assertEquals(48, a.image().height());
            assertEquals(64, a.image().width());
            assertEquals(48, a.mask().height());
        }
    }

    @Test
    void maskValuesStayInTheOriginalSetPlusIgnore() {
        LabeledImage in = blocks(64, 96);
        Set<Integer> allowed = values(in.mask());
        allowed.add(255);
        Augmentation aug = Augmentation.paper(40, 56);
        for (int seed = 0; seed < 30; seed++) {
            LabeledImage a = aug.apply(blocks(64, 96), new SplittableRandom(seed));
            assertTrue(allowed.containsAll(values(a.mask())), "seed " + seed + ": " + values(a.mask()));
        }
    }

    @Test
    void flipTwiceIsIdentity() {
        LabeledImage in = blocks(20, 33);
        LabeledImage twice = RandomFlip.flip(RandomFlip.flip(in));
        assertArrayEquals(in.image().data(), twice.image().data());
        assertArrayEquals(in.mask().labels(), twice.mask().labels());
        LabeledImage once = RandomFlip.flip(in);
        assertEquals(in.mask().get(3, 0), once.mask().get(3, 32));
        assertEquals(in.image().get(2, 5, 1), once.image().get(2, 5, 31));
    }

    @Test
    void imageAndMaskStayAligned() {
        Augmentation aug = Augmentation.builder().scale(0.5, 2.0).crop(48, 64).catMaxRatio(0.75).flip(0.5).build();
        int checked = 0;
        for (int seed = 0; seed < 40; seed++) {
            LabeledImage a = aug.apply(blocks(96, 128), new SplittableRandom(seed));
            int h = a.image().height();
            int w = a.image().width();
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int l = a.mask().get(y, x);
                    if (l == 255 || !interior(a.mask(), y, x)) {
                        continue; // bilinear blends colours at block edges
                    }
                    int got = classOf(a.image().get(0, y, x), a.image().get(1, y, x), a.image().get(2, y, x));
                    assertEquals(l, got, "seed " + seed + " pixel " + x + "," + y);
                    checked++;
                }
            }
        }
        assertTrue(checked > 10000, "checked " + checked);
    }

    private static boolean interior(LabelMap m, int y, int x) {
        int l = m.get(y, x);
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (m.get(y + dy, x + dx) != l) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void fusedScaleCropEqualsScaleThenCrop() {
        RandomScale scale = new RandomScale(0.5, 2.0);
        for (double ratio : new double[] {1.0, 0.75}) {
            RandomCrop crop = new RandomCrop(40, 50, ratio);
            ScaleCrop fused = new ScaleCrop(scale, crop);
            Transform plain = scale.then(crop);
            for (int seed = 0; seed < 25; seed++) {
                LabeledImage a = fused.apply(blocks(50, 70), new SplittableRandom(seed));
                LabeledImage b = plain.apply(blocks(50, 70), new SplittableRandom(seed));
                assertArrayEquals(b.image().data(), a.image().data(), "seed " + seed);
                assertArrayEquals(b.mask().labels(), a.mask().labels(), "seed " + seed);
            }
        }
    }

    @Test
    void catMaxRatioPrefersMixedCrops() {
        byte[] lab = new byte[10 * 100];
        for (int y = 0; y < 10; y++) {
            for (int x = 80; x < 100; x++) {
                lab[y * 100 + x] = 1;
            }
        }
        LabeledImage in = new LabeledImage("s", RgbImage.zeros(10, 100), new LabelMap(10, 100, lab));
        int mixedWith = 0;
        int mixedWithout = 0;
        for (int seed = 0; seed < 200; seed++) {
            mixedWith += mixed(new RandomCrop(10, 30, 0.75).apply(in, new SplittableRandom(seed)).mask()) ? 1 : 0;
            mixedWithout += mixed(new RandomCrop(10, 30, 1).apply(in, new SplittableRandom(seed)).mask()) ? 1 : 0;
        }
        assertTrue(mixedWith > 120, "with ratio: " + mixedWith);
        assertTrue(mixedWithout < 70, "without: " + mixedWithout);
    }

    private static boolean mixed(LabelMap m) {
        int ones = 0;
        for (byte b : m.labels()) {
            ones += b;
        }
        return ones > 0 && Math.max(ones, m.labels().length - ones) < 0.75 * m.labels().length;
    }

    @Test
    void photometricChangesOnlyTheImageWithinRange() {
        LabeledImage in = blocks(32, 32);
        boolean changed = false;
        for (int seed = 0; seed < 10; seed++) {
            LabeledImage src = blocks(32, 32);
            LabeledImage out = PhotometricDistortion.mmseg().apply(src, new SplittableRandom(seed));
            assertSame(src.mask(), out.mask());
            assertArrayEquals(in.mask().labels(), out.mask().labels());
            for (float v : out.image().data()) {
                assertTrue(v >= 0 && v <= 255);
            }
            changed |= !java.util.Arrays.equals(in.image().data(), out.image().data());
        }
        assertTrue(changed);
    }

    @Test
    void sameSeedSameResult() {
        Augmentation aug = Augmentation.paper(32, 48);
        LabeledImage a = aug.apply(blocks(64, 64), new SplittableRandom(9));
        LabeledImage b = aug.apply(blocks(64, 64), new SplittableRandom(9));
        assertArrayEquals(a.image().data(), b.image().data());
        LabeledImage c = aug.apply(blocks(64, 64), new SplittableRandom(10));
        assertFalse(java.util.Arrays.equals(a.image().data(), c.image().data()));
    }

    @Test
    void normalisationUsesImageNetStatistics() {
        RgbImage img = RgbImage.zeros(1, 2);
        img.data()[0] = 0.485f * 255;
        img.data()[1] = 255;
        img.data()[2] = 0.456f * 255;
        img.data()[4] = 0.406f * 255;
        float[] n = Normalization.normalize(img);
        assertEquals(0f, n[0], 1e-5);
        assertEquals((1 - 0.485f) / 0.229f, n[1], 1e-5);
        assertEquals(0f, n[2], 1e-5);
        assertEquals(-0.456f / 0.224f, n[3], 1e-5);
        assertEquals(0f, n[4], 1e-5);
    }

    @Test
    void scaleOneIsIdentityAndBadSettingsAreRejected() {
        LabeledImage in = blocks(20, 30);
        LabeledImage out = new RandomScale(1, 1).apply(in, new SplittableRandom(1));
        assertArrayEquals(in.image().data(), out.image().data());
        assertThrows(IllegalArgumentException.class, () -> new RandomScale(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(0, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.builder().catMaxRatio(0.5).build());
    }

    @Test
    void aLongSideResizesToThatSizeBeforeTheRandomFactor() {
        LabeledImage in = blocks(20, 40);
        LabeledImage base = new RandomScale(1, 1, 80).apply(in, new SplittableRandom(1));
        assertEquals(40, base.image().height());
        assertEquals(80, base.image().width());
        LabeledImage half = new RandomScale(0.5, 0.5, 80).apply(in, new SplittableRandom(1));
        assertEquals(20, half.mask().height());
        assertEquals(40, half.mask().width());
        LabeledImage tall = new RandomScale(1, 1, 10).apply(blocks(40, 20), new SplittableRandom(1));
        assertEquals(10, tall.image().height());
        assertEquals(5, tall.image().width());
        assertThrows(IllegalArgumentException.class, () -> new RandomScale(1, 1, -1));
        LabeledImage crop = Augmentation.builder().longSide(80).crop(16, 16).build().apply(in, new SplittableRandom(3));
        assertEquals(16, crop.image().height());
    }
}
