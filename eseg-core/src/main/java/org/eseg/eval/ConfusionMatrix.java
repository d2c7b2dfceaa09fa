package org.eseg.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eseg.util.AtomicFiles;

/**
 * A C×C pixel confusion matrix: entry (label, prediction) counts the pixels of that label predicted
 * as that class. Pixels labelled {@link #IGNORE_LABEL} are skipped (docs/design.md sections 3 and 4).
 *
 * <p>Thread-safe: {@link #update} counts into a private matrix and adds it under a lock, so several
 * evaluator threads may share one matrix, or each may fill its own and {@link #merge} them at the end.
 * An update that finds an invalid value throws before changing the matrix.
 */
public final class ConfusionMatrix {

    /** The label of pixels that do not count. */
    public static final int IGNORE_LABEL = 255;

    private final int numClasses;
    /** Row-major counts, index label * numClasses + prediction; guarded by {@code this}. */
    private final long[] counts;

    /**
     * Creates an empty matrix.
     *
     * @param numClasses the number of classes C, 1 to 255 (255 is the ignore label)
     * @throws IllegalArgumentException if numClasses is out of range
     */
    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1 || numClasses > IGNORE_LABEL) {
            throw new IllegalArgumentException(
                    "numClasses must be in [1, " + IGNORE_LABEL + "], got " + numClasses);
        }
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    /**
     * Creates a matrix holding the given counts, for example a saved one.
     *
     * @param matrix square matrix, {@code matrix[label][prediction]}
     * @return a new matrix with a copy of the counts
     * @throws IllegalArgumentException if the matrix is not square, empty, or has a negative count
     */
    public static ConfusionMatrix of(long[][] matrix) {
        ConfusionMatrix cm = new ConfusionMatrix(matrix.length);
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i].length != matrix.length) {
                throw new IllegalArgumentException(
                        "confusion matrix is not square: row " + i + " has " + matrix[i].length
                                + " entries, expected " + matrix.length);
            }
            for (int j = 0; j < matrix.length; j++) {
                if (matrix[i][j] < 0) {
                    throw new IllegalArgumentException(
                            "negative count " + matrix[i][j] + " at (" + i + ", " + j + ")");
                }
                cm.counts[i * matrix.length + j] = matrix[i][j];
            }
        }
        return cm;
    }

    /**
     * Returns the number of classes.
     *
     * @return C
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Counts one image's (or batch's) pixels.
     *
     * @param labels per-pixel labels in [0, C) or {@link #IGNORE_LABEL}
     * @param predictions per-pixel predicted classes in [0, C), same length
     * @throws IllegalArgumentException if the lengths differ or a value is out of range; the matrix
     *     is then unchanged
     */
    public void update(int[] labels, int[] predictions) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(
                    labels.length + " labels but " + predictions.length + " predictions");
        }
        long[] local = new long[counts.length];
        for (int i = 0; i < labels.length; i++) {
            int p = predictions[i];
            if (p < 0 || p >= numClasses) {
                throw new IllegalArgumentException(
                        "prediction " + p + " at index " + i + " is out of range [0, " + numClasses + ")");
            }
            int l = labels[i];
            if (l == IGNORE_LABEL) {
                continue;
            }
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + l + " at index " + i + " is out of range [0, " + numClasses
                                + ") and is not the ignore label " + IGNORE_LABEL);
            }
            local[l * numClasses + p]++;
        }
        add(local);
    }

    /**
     * Counts the pixels of label and prediction arrays of equal shape, typically (N, H, W). Integer
     * types (int8, uint8, int32, int64) are accepted; the arrays are copied to the heap and not
     * closed.
     *
     * @param labels per-pixel labels in [0, C) or {@link #IGNORE_LABEL}
     * @param predictions per-pixel predicted classes (for example {@code logits.argMax(1)})
     * @throws IllegalArgumentException if the shapes differ, a type is not an integer type, or a
     *     value is out of range
     */
    public void update(NDArray labels, NDArray predictions) {
        if (!labels.getShape().equals(predictions.getShape())) {
            throw new IllegalArgumentException(
                    "labels have shape " + labels.getShape() + " but predictions " + predictions.getShape());
        }
        update(toInts(labels, "label"), toInts(predictions, "prediction"));
    }

    /** Reads an integer array into an int[], rejecting values that do not fit. */
    private static int[] toInts(NDArray array, String what) {
        DataType type = array.getDataType();
        switch (type) {
            case INT32:
                return array.toIntArray();
            case UINT8:
                return array.toUint8Array();
            case INT8:
                byte[] bytes = array.toByteArray();
                int[] fromBytes = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    fromBytes[i] = bytes[i];
                }
                return fromBytes;
            case INT64:
                long[] longs = array.toLongArray();
                int[] ints = new int[longs.length];
                for (int i = 0; i < longs.length; i++) {
                    long v = longs[i];
                    if (v != (int) v) {
                        throw new IllegalArgumentException(what + " " + v + " at index " + i + " is out of range");
                    }
                    ints[i] = (int) v;
                }
                return ints;
            default:
                throw new IllegalArgumentException(what + "s must have an integer data type, got " + type);
        }
    }

    /**
     * Adds another matrix's counts to this one. Safe to call from several threads; the other matrix
     * may be updated concurrently (a consistent snapshot of it is added).
     *
     * @param other a matrix with the same number of classes
     * @throws IllegalArgumentException if the class counts differ
     */
    public void merge(ConfusionMatrix other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "cannot merge a " + other.numClasses + "-class matrix into a " + numClasses + "-class one");
        }
        // Snapshot first, so that we never hold both locks (no lock-order deadlock on a.merge(b) || b.merge(a)).
        add(other.snapshot());
    }

    private synchronized void add(long[] delta) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += delta[i];
        }
    }

    private synchronized long[] snapshot() {
        return counts.clone();
    }

    /**
     * Returns one count.
     *
     * @param label the label (row)
     * @param prediction the prediction (column)
     * @return the number of pixels with that label predicted as that class
     */
    public synchronized long count(int label, int prediction) {
        if (label < 0 || label >= numClasses || prediction < 0 || prediction >= numClasses) {
            throw new IndexOutOfBoundsException(
                    "(" + label + ", " + prediction + ") is outside a " + numClasses + "-class matrix");
        }
        return counts[label * numClasses + prediction];
    }

    /**
     * Returns a copy of the counts.
     *
     * @return {@code [label][prediction]} counts
     */
    public long[][] toArray() {
        long[] flat = snapshot();
        long[][] m = new long[numClasses][numClasses];
        for (int i = 0; i < numClasses; i++) {
            System.arraycopy(flat, i * numClasses, m[i], 0, numClasses);
        }
        return m;
    }

    /**
     * Returns the number of pixels counted (those not ignored).
     *
     * @return the sum of all entries
     */
    public long validPixels() {
        long sum = 0;
        for (long n : snapshot()) {
            sum += n;
        }
        return sum;
    }

    /** Sets every count to zero. */
    public synchronized void reset() {
        java.util.Arrays.fill(counts, 0);
    }

    /**
     * Computes IoU, accuracy and their means from the current counts.
     *
     * @return the metrics; see {@link SegmentationMetrics} for undefined values
     */
    public SegmentationMetrics metrics() {
        return SegmentationMetrics.of(toArray());
    }

    /**
     * Writes the matrix as CSV, atomically: a header {@code label\prediction,<names...>}, then one
     * row per label class starting with its name. Names containing commas or quotes are quoted.
     *
     * @param file the file to create or replace
     * @param classNames one name per class
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the number of names is not C
     */
    public void writeCsv(Path file, List<String> classNames) throws IOException {
        AtomicFiles.writeString(file, toCsv(classNames));
    }

    /**
     * Formats the matrix as CSV (see {@link #writeCsv}).
     *
     * @param classNames one name per class
     * @return the CSV text, lines ending in {@code \n}
     */
    public String toCsv(List<String> classNames) {
        checkNames(classNames, numClasses);
        long[][] m = toArray();
        StringBuilder sb = new StringBuilder("label\\prediction");
        for (String name : classNames) {
            sb.append(',').append(csvField(name));
        }
        sb.append('\n');
        for (int i = 0; i < numClasses; i++) {
            sb.append(csvField(classNames.get(i)));
            for (long n : m[i]) {
                sb.append(',').append(n);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static void checkNames(List<String> classNames, int numClasses) {
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(
                    classNames.size() + " class names given for " + numClasses + " classes");
        }
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[classes=" + numClasses + ", validPixels=" + validPixels() + "]";
    }
}
