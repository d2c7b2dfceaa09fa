package org.eseg.model.pretrained;

import java.util.List;

/**
 * What an import did.
 *
 * @param backbone the backbone name, e.g. {@code efficientnet-b0}
 * @param source the file's layout
 * @param batchNormEps the BatchNorm eps the weights need
 * @param loaded how many encoder tensors were filled (every one)
 * @param leftOut source tensors not used: the 1280-channel head conv, its BN, the classifier
 * @param ignored how many {@code num_batches_tracked} counters were skipped
 */
public record ImportReport(
        String backbone, WeightLayout source, double batchNormEps, int loaded, List<String> leftOut, int ignored) {

    /** Copies the list. */
    public ImportReport {
        leftOut = List.copyOf(leftOut);
    }
}
