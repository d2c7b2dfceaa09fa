package org.eseg.data.mapillary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.DatasetKind;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapillaryDatasetTest {

    /** Colours of the four labels below, in config order. */
    private static final int[] COLOURS = {0x804080, 0x4682B4, 0x00008E, 0x000000};

    /** Road, sky and car are evaluated; the last label is "Unlabeled" and not evaluated. */
    private static final String CONFIG = """
            {"labels": [
              {"name": "construction--flat--road", "readable": "Road", "color": [128, 64, 128], "evaluate": true},
              {"name": "nature--sky", "readable": "Sky", "color": [70, 130, 180], "evaluate": true},
              {"name": "object--vehicle--car", "readable": "Car", "color": [0, 0, 142], "evaluate": true},
              {"name": "void--unlabeled", "readable": "Unlabeled", "color": [0, 0, 0], "evaluate": false}
            ], "version": "1.2"}
            """;

    @TempDir
    Path root;

    /** Writes one image and its palette mask of label index (x / 4) % 4 under split/version. */
    private Path pair(String split, String labelFolder, String key) throws IOException {
        TestImages.rgb(root.resolve(split + "/images/" + key + ".jpg"), 4, 16, (x, y) -> 0x808080);
        return TestImages.palette(root.resolve(split + "/" + labelFolder + "/" + key + ".png"), 4, 16, COLOURS,
                (x, y) -> (x / 4) % 4);
    }

    @Test
    void evaluatedLabelsBecomeTrainIdsInConfigOrderAndUnlabeledIsIgnored() throws IOException {
        Files.writeString(root.resolve("config_v1.2.json"), CONFIG);
        pair("training", "v1.2/labels", "k1");
        PairedDataset ds = (PairedDataset) DatasetKind.MAPILLARY.open(root, null, null, false);
        ClassInfo classes = ds.classes();
        assertEquals(List.of("Road", "Sky", "Car"), classes.names());
        assertEquals(0x00008E, classes.color(2));
        LabeledImage li = ds.load(0);
        assertEquals(0, li.mask().get(1, 0));
        assertEquals(1, li.mask().get(1, 4));
        assertEquals(2, li.mask().get(1, 8));
        assertEquals(ClassInfo.IGNORE, li.mask().get(1, 12));
        assertEquals("validation", DatasetKind.MAPILLARY.validationSplit());
    }

    @Test
    void colourMasksAreLookedUpByTheLabelsColours() throws IOException {
        Files.writeString(root.resolve("config_v1.2.json"), CONFIG);
        TestImages.rgb(root.resolve("validation/images/k.jpg"), 2, 4, (x, y) -> 0);
        Path mask = TestImages.rgb(root.resolve("validation/v1.2/labels/k.png"), 2, 4, (x, y) -> COLOURS[x]);
        PairedDataset ds = MapillaryDataset.builder(root).split("val").build();
        byte[] labels = ds.load(0).mask().labels();
        assertEquals(List.of(0, 1, 2, 255), List.of(labels[0] & 0xFF, labels[1] & 0xFF, labels[2] & 0xFF,
                labels[3] & 0xFF));
        TestImages.rgb(mask, 2, 4, (x, y) -> 0x123456);
        DataException e = assertThrows(DataException.class, () -> ds.load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("(18,52,86)"), e.getMessage());
    }

    @Test
    void aLabelIndexBeyondTheConfigIsAnErrorNamingTheMask() throws IOException {
        Files.writeString(root.resolve("config_v1.2.json"), CONFIG);
        pair("training", "v1.2/labels", "k1");
        Path mask = TestImages.palette(root.resolve("training/v1.2/labels/k1.png"), 4, 16, COLOURS, (x, y) -> 7);
        PairedDataset ds = MapillaryDataset.builder(root).build();
        DataException e = assertThrows(DataException.class, () -> ds.load(0));
        assertEquals(mask, e.file());
        assertTrue(e.getMessage().contains("label 7") && e.getMessage().contains("0..3"), e.getMessage());
    }

    @Test
    void missingOrMalformedConfigAndMissingMasksAreNamed() throws IOException {
        pair("training", "v1.2/labels", "k1");
        DataException missing = assertThrows(DataException.class, () -> MapillaryDataset.builder(root).build());
        assertEquals(root.resolve("config_v1.2.json"), missing.file());

        Files.writeString(root.resolve("config_v1.2.json"), "{\"labels\": [");
        DataException bad = assertThrows(DataException.class, () -> MapillaryDataset.builder(root).build());
        assertTrue(bad.getMessage().contains("not valid JSON"), bad.getMessage());

        Files.writeString(root.resolve("config_v1.2.json"), "{\"labels\": [{\"readable\": \"Road\", \"color\": [300, 0, 0]}]}");
        DataException colour = assertThrows(DataException.class, () -> MapillaryDataset.builder(root).build());
        assertTrue(colour.getMessage().contains("0..255"), colour.getMessage());

        Files.writeString(root.resolve("config_v1.2.json"), CONFIG);
        TestImages.rgb(root.resolve("training/images/orphan.jpg"), 4, 16, (x, y) -> 0);
        DataException orphan = assertThrows(DataException.class, () -> MapillaryDataset.builder(root).build());
        assertEquals(root.resolve("training/images/orphan.jpg"), orphan.file());
        assertEquals(1, MapillaryDataset.builder(root).skipBad(true).build().size());
    }

    @Test
    void releasesAreChosenByVersionAndOlderLayoutsAreFound() throws IOException {
        Files.writeString(root.resolve("config_v2.0.json"), CONFIG.replace("\"Car\"", "\"Car v2\""));
        pair("training", "v2.0/labels", "k2");
        PairedDataset v2 = (PairedDataset) DatasetKind.MAPILLARY_V2.open(root, "train", null, false);
        assertEquals("Car v2", v2.classes().name(2));
        assertEquals("k2", v2.samples().get(0).id());

        Path old = root.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("config.json"), CONFIG);
        TestImages.rgb(old.resolve("training/images/k.jpg"), 4, 16, (x, y) -> 0);
        TestImages.palette(old.resolve("training/labels/k.png"), 4, 16, COLOURS, (x, y) -> 1);
        assertEquals(1, MapillaryDataset.builder(old).build().load(0).mask().get(0, 0));
        assertThrows(IllegalArgumentException.class, () -> MapillaryDataset.builder(root).version("v3"));
    }

    @Test
    void theLayoutListConstantMatchesTheEnum() {
        assertEquals(DatasetKind.choices(), DatasetKind.CHOICES);
    }
}
