package org.eseg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats {@link SegmentationMetrics} as the text tables mmsegmentation prints after evaluation: one
 * row per class with IoU and accuracy in percent, then a summary row with aAcc, mIoU and mAcc.
 * Undefined values print as {@code nan}.
 */
public final class MetricsTable {

    private MetricsTable() {}

    /**
     * Formats the per-class table and the summary.
     *
     * @param metrics the metrics
     * @param classNames one name per class
     * @return the tables, lines ending in {@code \n}
     * @throws IllegalArgumentException if the number of names does not match the metrics
     */
    public static String format(SegmentationMetrics metrics, List<String> classNames) {
        ConfusionMatrix.checkNames(classNames, metrics.numClasses());
        double[] iou = metrics.classIou();
        double[] acc = metrics.classAccuracy();
        List<String[]> rows = new ArrayList<>();
        for (int c = 0; c < iou.length; c++) {
            rows.add(new String[] {classNames.get(c), percent(iou[c]), percent(acc[c])});
        }
        StringBuilder sb = new StringBuilder("per class results:\n");
        table(sb, new String[] {"Class", "IoU", "Acc"}, rows, true);
        sb.append("Summary:\n");
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[] {
            percent(metrics.pixelAccuracy()), percent(metrics.meanIou()), percent(metrics.meanClassAccuracy())
        });
        table(sb, new String[] {"aAcc", "mIoU", "mAcc"}, summary, false);
        return sb.toString();
    }

    /**
     * Formats a fraction as a percentage with two decimals, or {@code nan}.
     *
     * @param fraction a value in [0, 1] or NaN
     * @return for example {@code "97.88"}
     */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "nan" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    /** Appends a boxed table; numbers are right-aligned, names and headers left-aligned. */
    private static void table(StringBuilder sb, String[] header, List<String[]> rows, boolean namesFirst) {
        int[] width = new int[header.length];
        for (int j = 0; j < header.length; j++) {
            width[j] = header[j].length();
            for (String[] row : rows) {
                width[j] = Math.max(width[j], row[j].length());
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        rule.append('\n');
        sb.append(rule);
        row(sb, header, width, header.length);
        sb.append(rule);
        for (String[] r : rows) {
            row(sb, r, width, namesFirst ? 1 : 0);
        }
        sb.append(rule);
    }

    /** Appends one row; the first {@code leftColumns} cells are left-aligned. */
    private static void row(StringBuilder sb, String[] cells, int[] width, int leftColumns) {
        sb.append('|');
        for (int j = 0; j < cells.length; j++) {
            boolean left = j < leftColumns;
            String pad = " ".repeat(width[j] - cells[j].length());
            sb.append(' ').append(left ? cells[j] + pad : pad + cells[j]).append(" |");
        }
        sb.append('\n');
    }
}
