package org.eseg.data;

import java.util.List;

/**
 * A list of (image, mask) pairs with their classes. Implementations are safe to {@link #load} from several
 * threads at once.
 */
public interface Dataset {

    /**
     * Returns a short description, e.g. {@code cityscapes:train}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the classes; mask labels are train ids into this list or 255.
     *
     * @return the classes
     */
    ClassInfo classes();

    /**
     * Returns the pairs, in a fixed order (sorted by path).
     *
     * @return the samples
     */
    List<Sample> samples();

    /**
     * Returns the number of pairs.
     *
     * @return the size
     */
    default int size() {
        return samples().size();
    }

    /**
     * Problems found while listing the files (e.g. an image without a mask) whose pairs were left out.
     * Empty unless the dataset was opened with {@code skipBad}.
     *
     * @return the problems
     */
    List<DataProblem> skipped();

    /**
     * Decodes a pair and converts its mask to train ids.
     *
     * @param index the sample index
     * @return the image and mask
     * @throws DataException if a file cannot be decoded, the sizes differ or a label is out of range
     */
    LabeledImage load(int index);
}
