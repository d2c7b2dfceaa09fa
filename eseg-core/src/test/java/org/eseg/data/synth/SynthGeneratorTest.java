package org.eseg.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.cityscapes.CityscapesDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthGeneratorTest {

    @TempDir
    Path tmp;

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void sameSeedGivesIdenticalBytesWhateverTheThreads() throws IOException {
        SynthOptions one = SynthOptions.builder().size(64, 128).train(3).val(1).seed(42).threads(1).build();
        SynthOptions two = SynthOptions.builder().size(64, 128).train(3).val(1).seed(42).threads(2).build();
        SynthGenerator.generate(tmp.resolve("a"), one);
        SynthGenerator.generate(tmp.resolve("b"), two);
        List<Path> fa = files(tmp.resolve("a"));
        assertEquals(8, fa.size());
        assertEquals(fa, files(tmp.resolve("b")));
        for (Path f : fa) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)),
                    Files.readAllBytes(tmp.resolve("b").resolve(f)), f.toString());
        }
        SynthGenerator.generate(tmp.resolve("c"), SynthOptions.builder().size(64, 128).train(3).val(1).seed(43)
                .build());
        Path img = Path.of("leftImg8bit/train/synth/synth_000000_000019_leftImg8bit.png");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("a").resolve(img)),
                Files.readAllBytes(tmp.resolve("c").resolve(img))));
    }

    @Test
    void readsBackThroughTheCityscapesReaderWithAllNineClasses() throws IOException {
        SynthGenerator.generate(tmp, SynthOptions.builder().size(128, 256).train(4).val(2).seed(7).build());
        PairedDataset train = CityscapesDataset.builder(tmp).split("train").build();
        PairedDataset val = CityscapesDataset.builder(tmp).split("val").build();
        assertEquals(4, train.size());
        assertEquals(2, val.size());
        for (int i = 0; i < train.size(); i++) {
            LabeledImage li = train.load(i);
            assertEquals(128, li.image().height());
            assertEquals(256, li.image().width());
            long[] counts = new long[256];
            for (byte b : li.mask().labels()) {
                counts[b & 0xFF]++;
            }
            assertEquals(0, counts[255], "every pixel is labelled");
            for (int id : SynthGenerator.TRAIN_IDS) {
                assertTrue(counts[id] > 0, "image " + i + " lacks " + train.classes().name(id));
            }
            for (int c = 0; c < 19; c++) {
                final int cls = c;
                boolean expected = java.util.Arrays.stream(SynthGenerator.TRAIN_IDS).anyMatch(t -> t == cls);
                assertEquals(expected, counts[c] > 0, "class " + train.classes().name(c));
            }
        }
        assertEquals(List.of("road", "sidewalk", "building", "pole", "traffic sign", "vegetation", "sky", "person",
                "car"), SynthGenerator.classNames());
    }

    @Test
    void smallObjectsHaveAReasonableSizeAtTheDefaultResolution() {
        long[] counts = new long[256];
        int n = 6;
        for (int i = 0; i < n; i++) {
            SynthImage s = SynthGenerator.render(256, 512, 1, "train", i);
            for (byte b : s.labelIds()) {
                counts[b & 0xFF]++;
            }
        }
        // average pixels per image: people, poles and signs stay well above a few hundred pixels
        assertTrue(counts[StreetScene.PERSON] / n > 800, "person " + counts[StreetScene.PERSON] / n);
        assertTrue(counts[StreetScene.POLE] / n > 500, "pole " + counts[StreetScene.POLE] / n);
        assertTrue(counts[StreetScene.SIGN] / n > 300, "sign " + counts[StreetScene.SIGN] / n);
        assertTrue(counts[StreetScene.SKY] / n > 2000, "sky " + counts[StreetScene.SKY] / n);
    }
}
