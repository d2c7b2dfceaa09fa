package org.eseg.data;

import org.eseg.data.io.RawMask;

/** Turns a mask file's raw values into train ids (0..classes-1 or 255), rejecting values it does not know. */
@FunctionalInterface
public interface LabelDecoder {

    /**
     * Converts a mask.
     *
     * @param raw the mask as read
     * @return train ids, row-major
     * @throws DataException naming the file and the first bad value
     */
    byte[] decode(RawMask raw);

    /**
     * A decoder driven by a lookup table over index values.
     *
     * @param table train id for each raw value; -1 marks an invalid value
     * @param expected how valid values are described in the error message, e.g. "0..18 or 255"
     * @return the decoder
     */
    static LabelDecoder table(int[] table, String expected) {
        int[] t = table.clone();
        return raw -> {
            int[] v = raw.indices();
            byte[] out = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                int k = v[i];
                int id = k >= 0 && k < t.length ? t[k] : -1;
                if (id < 0) {
                    throw new DataException(raw.file(), "label " + k + " at x=" + (i % raw.width())
                            + " y=" + (i / raw.width()) + " is outside the class range (expected " + expected + ")");
                }
                out[i] = (byte) id;
            }
            return out;
        };
    }

    /**
     * The identity on 0..classes-1, with 255 kept as ignore.
     *
     * @param classes the class count
     * @return the decoder
     */
    static LabelDecoder identity(int classes) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = i < classes || i == ClassInfo.IGNORE ? i : -1;
        }
        return table(t, "0.." + (classes - 1) + " or 255");
    }
}
