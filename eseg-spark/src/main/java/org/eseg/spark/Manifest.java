package org.eseg.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.eseg.infer.Segmentation;

/**
 * The manifest of a job, one row per input image, written as Parquet to {@code OUT/manifest.parquet}: path, size
 * in bytes, status ({@value #OK} or {@value #FAILED}), error (why it failed, else null), pixels, the pixels
 * predicted per class ({@code class_pixels}, indexed by class) and of those the pixels kept
 * ({@code class_kept}, pseudo-labels only), the fraction kept and the mean confidence of the predicted class.
 */
final class Manifest {

    /** The folder of the manifest under the output folder. */
    static final String FOLDER = "manifest.parquet";

    /** Status of an image that was segmented and written. */
    static final String OK = "ok";

    /** Status of an image that could not be read or segmented. */
    static final String FAILED = "failed";

    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("size", DataTypes.LongType, false),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true),
        DataTypes.createStructField("pixels", DataTypes.LongType, false),
        DataTypes.createStructField("class_pixels", DataTypes.createArrayType(DataTypes.LongType, false), true),
        DataTypes.createStructField("class_kept", DataTypes.createArrayType(DataTypes.LongType, false), true),
        DataTypes.createStructField("kept_fraction", DataTypes.DoubleType, true),
        DataTypes.createStructField("mean_confidence", DataTypes.DoubleType, true),
    });

    private Manifest() {}

    /**
     * The row of an image that could not be processed.
     *
     * @param in the image
     * @param error why, in one line
     * @return the row
     */
    static Row failed(ImageInputs.Input in, String error) {
        return RowFactory.create(in.uri(), in.size(), FAILED, error, 0L, null, null, null, null);
    }

    /**
     * The row of a segmented image.
     *
     * @param in the image
     * @param s its segmentation
     * @param kept its pseudo-label (255 where not kept), or null for plain predictions
     * @param classes the class count
     * @return the row
     */
    static Row ok(ImageInputs.Input in, Segmentation s, byte[] kept, int classes) {
        byte[] best = s.labels();
        long[] predicted = new long[classes];
        long[] keptPerClass = new long[classes];
        long keptTotal = 0;
        for (int i = 0; i < best.length; i++) {
            predicted[best[i] & 0xFF]++;
            if (kept != null && kept[i] != (byte) 255) {
                keptPerClass[best[i] & 0xFF]++;
                keptTotal++;
            }
        }
        double confidence = 0;
        for (float c : s.confidence()) {
            confidence += c;
        }
        long pixels = best.length;
        return RowFactory.create(in.uri(), in.size(), OK, null, pixels, predicted, kept == null ? null : keptPerClass,
                kept == null || pixels == 0 ? null : (double) keptTotal / pixels,
                pixels == 0 ? null : confidence / pixels);
    }
}
