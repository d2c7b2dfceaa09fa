package org.eseg.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of a dataset in train-id order, with one display colour each (packed {@code 0xRRGGBB}).
 * Train ids run from 0 to {@code size() - 1}; {@link #IGNORE} marks pixels without a label.
 */
public final class ClassInfo {

    /** The label of pixels that are not scored and not trained on. */
    public static final int IGNORE = 255;

    private final List<String> names;
    private final int[] colors;
    private final Map<Integer, Integer> byColor = new HashMap<>();

    /**
     * Creates the class list.
     *
     * @param names class names in train-id order (at most 255)
     * @param colors one packed RGB colour per class
     */
    public ClassInfo(List<String> names, int[] colors) {
        if (names.isEmpty() || names.size() > IGNORE) {
            throw new IllegalArgumentException("a dataset needs 1 to 255 classes, got " + names.size());
        }
        if (colors.length != names.size()) {
            throw new IllegalArgumentException(
                    "expected " + names.size() + " colours, one per class, got " + colors.length);
        }
        this.names = List.copyOf(names);
        this.colors = colors.clone();
        for (int i = 0; i < colors.length; i++) {
            byColor.putIfAbsent(colors[i] & 0xFFFFFF, i);
        }
    }

    /**
     * Returns the number of classes.
     *
     * @return the class count
     */
    public int size() {
        return names.size();
    }

    /**
     * Returns the class names in train-id order.
     *
     * @return the names
     */
    public List<String> names() {
        return names;
    }

    /**
     * Returns a class name.
     *
     * @param trainId the train id
     * @return its name
     */
    public String name(int trainId) {
        return names.get(trainId);
    }

    /**
     * Returns a class colour.
     *
     * @param trainId the train id
     * @return packed 0xRRGGBB
     */
    public int color(int trainId) {
        return colors[trainId];
    }

    /**
     * Returns all colours.
     *
     * @return a copy of the packed colours
     */
    public int[] colors() {
        return colors.clone();
    }

    /**
     * Finds the class with a colour.
     *
     * @param rgb packed 0xRRGGBB
     * @return the first class with that colour, or -1
     */
    public int classOfColor(int rgb) {
        Integer id = byColor.get(rgb & 0xFFFFFF);
        return id == null ? -1 : id;
    }

    /**
     * A palette of distinct colours for classes that come without one (the PASCAL VOC bit-interleaving scheme).
     *
     * @param n how many colours
     * @return packed colours, none black
     */
    public static int[] defaultPalette(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int id = i + 1; // skip black, which many tools use for "no label"
            int r = 0;
            int g = 0;
            int b = 0;
            for (int bit = 0; id > 0; bit++, id >>= 3) {
                r |= ((id) & 1) << (7 - bit);
                g |= ((id >> 1) & 1) << (7 - bit);
                b |= ((id >> 2) & 1) << (7 - bit);
            }
            out[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassInfo c && c.names.equals(names) && Arrays.equals(c.colors, colors);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.hashCode(colors);
    }

    @Override
    public String toString() {
        return "ClassInfo" + names;
    }
}
