package org.eseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.eseg.infer.runtime.Calibration;
import org.eseg.infer.runtime.Precision;
import org.eseg.infer.runtime.RuntimeOptions;
import picocli.CommandLine.Option;

/** {@code --precision} and the int8 calibration options of the commands that run or export a model. */
final class PrecisionMixin {

    @Option(names = "--precision", paramLabel = "P",
            description = "Number format inside the runtime: fp32 (default), bf16 (djl runtime) or int8 (onnx "
                    + "runtime, calibrated with --calibrate-data).")
    String precision;

    @Option(names = "--calibrate-data", paramLabel = "DIR",
            description = "int8: a folder of training images to calibrate on (searched recursively; for "
                    + "Cityscapes leftImg8bit/train).")
    Path calibrateData;

    @Option(names = "--calibrate-images", paramLabel = "N", defaultValue = "" + Calibration.DEFAULT_IMAGES,
            description = "int8: how many images of --calibrate-data, spread over the folder (default: ${DEFAULT-VALUE}).")
    int calibrateImages;

    @Option(names = "--calibrate-percentile", paramLabel = "Q", defaultValue = "" + Calibration.MIN_MAX,
            description = "int8: 100 = each map's min/max (default); below, e.g. 99.99, that percentile of its values.")
    double calibratePercentile;

    /**
     * The chosen precision.
     *
     * @return the precision, {@link Precision#DEFAULT} when not given
     */
    Precision get() {
        if (precision == null) {
            return Precision.DEFAULT;
        }
        try {
            return Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision: " + e.getMessage(), e);
        }
    }

    /**
     * The calibration images, or null when none were given.
     *
     * @return the calibration
     * @throws IOException if the folder cannot be listed
     */
    Calibration calibration() throws IOException {
        if (calibrateData == null) {
            return null;
        }
        try {
            return Calibration.fromFolder(calibrateData, calibrateImages, calibratePercentile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--calibrate-data: " + e.getMessage(), e);
        }
    }

    /**
     * Runtime options with a precision and this calibration.
     *
     * @param base the other settings
     * @param p the precision
     * @return the options
     * @throws IOException if the calibration folder cannot be listed
     */
    RuntimeOptions apply(RuntimeOptions base, Precision p) throws IOException {
        if (p == Precision.INT8 && calibrateData == null) {
            throw new IllegalArgumentException("--precision int8 needs --calibrate-data DIR (training images)");
        }
        return base.withPrecision(p, p == Precision.INT8 ? calibration() : null);
    }
}
