package org.eseg.data.cityscapes;

import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.LabelDecoder;

/** The Cityscapes label table: label ids 0..33 (and -1), the 19 train ids, and their standard colours. */
public final class CityscapesLabels {

    private CityscapesLabels() {}

    /** Number of evaluated classes. */
    public static final int COUNT = 19;

    /** Highest label id in {@code *_labelIds.png}. */
    public static final int MAX_LABEL_ID = 33;

    // labelId -> trainId for the 19 evaluated classes (cityscapesScripts' labels.py); all others are ignored.
    private static final int[][] TRAIN_OF = {
        {7, 0}, {8, 1}, {11, 2}, {12, 3}, {13, 4}, {17, 5}, {19, 6}, {20, 7}, {21, 8}, {22, 9},
        {23, 10}, {24, 11}, {25, 12}, {26, 13}, {27, 14}, {28, 15}, {31, 16}, {32, 17}, {33, 18},
    };

    private static final ClassInfo INFO = new ClassInfo(
            List.of("road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign",
                    "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
                    "motorcycle", "bicycle"),
            new int[] {
                0x804080, 0xF423E8, 0x464646, 0x66669C, 0xBE9999, 0x999999, 0xFAAA1E, 0xDCDC00, 0x6B8E23,
                0x98FB98, 0x4682B4, 0xDC143C, 0xFF0000, 0x00008E, 0x000046, 0x003C64, 0x005064, 0x0000E6,
                0x770B20,
            });

    /** Label id of a class by train id (the inverse of {@link #trainId}). */
    private static final int[] LABEL_OF = new int[COUNT];

    static {
        for (int[] p : TRAIN_OF) {
            LABEL_OF[p[1]] = p[0];
        }
    }

    /**
     * Returns the 19 Cityscapes classes with the standard palette.
     *
     * @return the classes
     */
    public static ClassInfo info() {
        return INFO;
    }

    /**
     * Maps a Cityscapes label id to its train id.
     *
     * @param labelId -1..33 (-1 is "license plate"), or 255 as stored for it in 8-bit files
     * @return the train id 0..18, or 255 for classes not evaluated
     * @throws IllegalArgumentException for values that are not Cityscapes label ids
     */
    public static int trainId(int labelId) {
        if (labelId == -1 || labelId == ClassInfo.IGNORE) {
            return ClassInfo.IGNORE;
        }
        if (labelId < 0 || labelId > MAX_LABEL_ID) {
            throw new IllegalArgumentException("not a Cityscapes label id: " + labelId + " (expected -1..33 or 255)");
        }
        for (int[] p : TRAIN_OF) {
            if (p[0] == labelId) {
                return p[1];
            }
        }
        return ClassInfo.IGNORE;
    }

    /**
     * Maps a train id back to its label id (for writing {@code *_labelIds.png}).
     *
     * @param trainId 0..18
     * @return the label id
     */
    public static int labelId(int trainId) {
        return LABEL_OF[trainId];
    }

    /**
     * A decoder for {@code *_labelIds.png}: ids 0..33 mapped to train ids, 255 ignored, anything else an error.
     *
     * @return the decoder
     */
    public static LabelDecoder labelIdDecoder() {
        int[] t = new int[256];
        for (int v = 0; v < 256; v++) {
            t[v] = v <= MAX_LABEL_ID || v == ClassInfo.IGNORE ? trainId(v) : -1;
        }
        return LabelDecoder.table(t, "a Cityscapes label id 0..33, or 255");
    }

    /**
     * A decoder for {@code *_labelTrainIds.png}: values read as they are (0..18 or 255).
     *
     * @return the decoder
     */
    public static LabelDecoder trainIdDecoder() {
        return LabelDecoder.identity(COUNT);
    }
}
