package org.eseg.data;

import java.util.List;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.io.RawMask;

/** A dataset of listed pairs whose masks are converted by a {@link LabelDecoder}. */
public class PairedDataset implements Dataset {

    private final String name;
    private final ClassInfo classes;
    private final List<Sample> samples;
    private final List<DataProblem> skipped;
    private final LabelDecoder decoder;

    /**
     * Creates the dataset.
     *
     * @param name a short description
     * @param classes the classes
     * @param samples the pairs
     * @param skipped problems whose pairs were left out
     * @param decoder converts mask values to train ids
     */
    public PairedDataset(String name, ClassInfo classes, List<Sample> samples, List<DataProblem> skipped,
            LabelDecoder decoder) {
        this.name = name;
        this.classes = classes;
        this.samples = List.copyOf(samples);
        this.skipped = List.copyOf(skipped);
        this.decoder = decoder;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClassInfo classes() {
        return classes;
    }

    @Override
    public List<Sample> samples() {
        return samples;
    }

    @Override
    public List<DataProblem> skipped() {
        return skipped;
    }

    @Override
    public LabeledImage load(int index) {
        return load(index, note -> {});
    }

    /**
     * Decodes a pair and reports image conversions.
     *
     * @param index the sample index
     * @param notes receives conversions made to the image (grayscale, alpha, 16-bit)
     * @return the image and mask
     */
    public LabeledImage load(int index, java.util.function.Consumer<String> notes) {
        Sample s = samples.get(index);
        RgbImage img = ImageFiles.readRgb(s.image(), notes);
        RawMask raw = RawMask.read(s.mask());
        if (raw.height() != img.height() || raw.width() != img.width()) {
            throw new DataException(s.mask(), "mask is " + raw.height() + "x" + raw.width() + " (HxW) but its image "
                    + s.image().getFileName() + " is " + img.height() + "x" + img.width());
        }
        byte[] labels = decoder.decode(raw);
        return new LabeledImage(s.id(), img, new LabelMap(raw.height(), raw.width(), labels));
    }

    @Override
    public String toString() {
        return name + " (" + samples.size() + " pairs)";
    }
}
