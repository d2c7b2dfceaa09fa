package org.eseg.spark;

import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.LabeledImage;
import org.eseg.data.Sample;

/** The samples {@code [from, to)} of a dataset, as a dataset of their own (one evaluation task's share). */
final class DatasetSlice implements Dataset {

    private final Dataset dataset;
    private final int from;
    private final int to;

    /**
     * A slice.
     *
     * @param dataset the whole dataset
     * @param from first sample
     * @param to one past the last sample
     */
    DatasetSlice(Dataset dataset, int from, int to) {
        if (from < 0 || to > dataset.size() || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + dataset.size() + " samples");
        }
        this.dataset = dataset;
        this.from = from;
        this.to = to;
    }

    @Override
    public String name() {
        return dataset.name();
    }

    @Override
    public ClassInfo classes() {
        return dataset.classes();
    }

    @Override
    public List<Sample> samples() {
        return dataset.samples().subList(from, to);
    }

    @Override
    public List<DataProblem> skipped() {
        return List.of();
    }

    @Override
    public LabeledImage load(int index) {
        return dataset.load(from + index);
    }
}
