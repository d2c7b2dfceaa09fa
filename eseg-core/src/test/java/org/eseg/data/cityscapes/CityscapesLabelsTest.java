package org.eseg.data.cityscapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CityscapesLabelsTest {

    /** The official table (cityscapesScripts labels.py), written out independently of the implementation. */
    private static final Map<Integer, Integer> OFFICIAL = Map.ofEntries(
            Map.entry(7, 0), Map.entry(8, 1), Map.entry(11, 2), Map.entry(12, 3), Map.entry(13, 4),
            Map.entry(17, 5), Map.entry(19, 6), Map.entry(20, 7), Map.entry(21, 8), Map.entry(22, 9),
            Map.entry(23, 10), Map.entry(24, 11), Map.entry(25, 12), Map.entry(26, 13), Map.entry(27, 14),
            Map.entry(28, 15), Map.entry(31, 16), Map.entry(32, 17), Map.entry(33, 18));

    @Test
    void everyLabelIdMapsAsTheOfficialTable() {
        for (int id = 0; id <= 33; id++) {
            assertEquals(OFFICIAL.getOrDefault(id, 255), CityscapesLabels.trainId(id), "label id " + id);
        }
    }

    @Test
    void licensePlateMinusOneAndItsUint8FormAreIgnored() {
        assertEquals(255, CityscapesLabels.trainId(-1));
        assertEquals(255, CityscapesLabels.trainId(255));
    }

    @Test
    void otherValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CityscapesLabels.trainId(34));
        assertThrows(IllegalArgumentException.class, () -> CityscapesLabels.trainId(-2));
    }

    @Test
    void labelIdIsTheInverseForTrainIds() {
        for (int t = 0; t < CityscapesLabels.COUNT; t++) {
            assertEquals(t, CityscapesLabels.trainId(CityscapesLabels.labelId(t)));
        }
    }

    @Test
    void paletteIsTheStandardOne() {
        var info = CityscapesLabels.info();
        assertEquals(19, info.size());
        assertEquals("road", info.name(0));
        assertEquals(0x804080, info.color(0));
        assertEquals("bicycle", info.name(18));
        assertEquals(0x770B20, info.color(18));
        assertEquals(0x4682B4, info.color(10)); // sky 70,130,180
    }
}
