package org.eseg.train;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegVariants;
import org.eseg.model.pretrained.BackboneWeights;
import org.eseg.model.pretrained.BackboneWeightsInfo;
import org.eseg.train.parallel.DataParallel;
import org.eseg.util.LibtorchThreads;

/** Everything about a run's settings that can be checked without writing, so that a mistake leaves no run folder. */
final class StartChecks {

    private StartChecks() {}

    /**
     * Checks the settings and sets libtorch's threads.
     *
     * @param options the settings
     * @param resuming true for a resumed run (its backbone weights were imported already)
     * @return the devices to train on
     * @throws IOException if the backbone weights cannot be read
     * @throws IllegalArgumentException if the settings cannot work
     */
    static List<Device> check(TrainOptions options, boolean resuming) throws IOException {
        if (!Files.isDirectory(Path.of(options.data()))) {
            throw new IllegalArgumentException("the data folder " + options.data() + " does not exist or is not a folder");
        }
        LibtorchThreads.set(options.threads());
        List<Device> devices = options.devices() != null
                ? DataParallel.checkVisible(options.deviceList()) : DataParallel.visibleDevices();
        EsegConfig variant = EsegVariants.byName(options.model());
        if (!resuming && options.backboneWeights() != null) {
            checkBackboneWeights(options, variant, Path.of(options.backboneWeights()));
        }
        checkBatchNormStatistics(options, variant, devices.size());
        return devices;
    }

    /** Imported weights fit one backbone; a model with another one would silently become a different model. */
    private static void checkBackboneWeights(TrainOptions options, EsegConfig variant, Path file) throws IOException {
        BackboneWeightsInfo info = BackboneWeights.readInfo(file);
        String wanted = variant.backbone().name();
        if (!info.backbone().equals(wanted)) {
            List<String> fitting = EsegVariants.names().stream()
                    .filter(n -> EsegVariants.byName(n).backbone().name().equals(info.backbone())).toList();
            throw new IllegalArgumentException(file + " holds " + info.backbone() + " weights, but model "
                    + options.model() + " has the backbone " + wanted + "; "
                    + (fitting.isEmpty() ? "no ESeg model uses " + info.backbone()
                            : "models with that backbone: " + String.join(", ", fitting))
                    + " (import weights for " + wanted + " to train " + options.model() + ")");
        }
    }

    /**
     * BatchNorm in training mode needs more than one value per channel, and the coarsest level (P9, 1/512 of the
     * crop) has the fewest: per device, images × ceil(H/512) × ceil(W/512). libtorch would fail on one value only at
     * the first step, with a message that names neither the batch nor the crop.
     */
    private static void checkBatchNormStatistics(TrainOptions options, EsegConfig variant, int deviceCount) {
        long side = 1L << variant.maxLevel();
        long rows = ceilDiv(options.cropHeight(), side);
        long cols = ceilDiv(options.cropWidth(), side);
        long cells = rows * cols;
        long perDevice = options.batch() / deviceCount;
        if (perDevice * cells < 2) {
            long needed = ceilDiv(2, cells) * deviceCount;
            throw new IllegalArgumentException("batch " + options.batch() + " is too small: with "
                    + (deviceCount > 1 ? perDevice + " image(s) per device on " + deviceCount + " devices" : "1 image")
                    + " and crop " + options.cropHeight() + "x" + options.cropWidth() + ", BatchNorm at level P"
                    + variant.maxLevel() + " (" + rows + "x" + cols + ") sees one value per channel, and training"
                    + " needs more; use a batch of " + needed + " or more"
                    + (cells == 1 ? " (or a crop above 512 on a side)" : ""));
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
