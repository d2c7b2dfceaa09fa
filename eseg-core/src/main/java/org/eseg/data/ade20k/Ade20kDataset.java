package org.eseg.data.ade20k;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.LabelDecoder;
import org.eseg.data.PairListing;
import org.eseg.data.PairedDataset;
import org.eseg.data.Sample;
import org.eseg.data.Splits;

/**
 * Reads ADE20K (SceneParsing): {@code ADEChallengeData2016/images/<split>/*.jpg} with
 * {@code annotations/<split>/<stem>.png}. Label 0 ("other") becomes 255, labels 1..150 become 0..149; 255 stays
 * ignore; anything else is an error.
 */
public final class Ade20kDataset {

    private Ade20kDataset() {}

    /**
     * Starts a reader. The root may be {@code ADEChallengeData2016} itself or its parent.
     *
     * @param root the root
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * Maps an ADE20K annotation value to a train id.
     *
     * @param value 0..150, or 255
     * @return the train id, 255 for "other"
     * @throws IllegalArgumentException for other values
     */
    public static int trainId(int value) {
        if (value == 0 || value == ClassInfo.IGNORE) {
            return ClassInfo.IGNORE;
        }
        if (value < 0 || value > Ade20kClasses.COUNT) {
            throw new IllegalArgumentException("not an ADE20K label: " + value + " (expected 0..150 or 255)");
        }
        return value - 1;
    }

    /**
     * The mask decoder of the ADE20K convention.
     *
     * @return the decoder
     */
    public static LabelDecoder decoder() {
        int[] t = new int[256];
        for (int v = 0; v < 256; v++) {
            t[v] = v <= Ade20kClasses.COUNT || v == ClassInfo.IGNORE ? trainId(v) : -1;
        }
        return LabelDecoder.table(t, "0..150 or 255");
    }

    /** Options of the ADE20K reader. */
    public static final class Builder {
        private final Path root;
        private String split = "training";
        private boolean skipBad;

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * Sets the split: training or validation (train and val are accepted too). Default training.
         *
         * @param split the split
         * @return this
         */
        public Builder split(String split) {
            this.split = Splits.trainingOrValidation(split, "ADE20K");
            return this;
        }

        /**
         * Leaves out pairs with listing problems instead of failing.
         *
         * @param skipBad true to skip
         * @return this
         */
        public Builder skipBad(boolean skipBad) {
            this.skipBad = skipBad;
            return this;
        }

        /**
         * Lists the split.
         *
         * @return the dataset
         */
        public PairedDataset build() {
            Path base = Files.isDirectory(root.resolve("ADEChallengeData2016"))
                    ? root.resolve("ADEChallengeData2016") : root;
            Path imgDir = base.resolve("images").resolve(split);
            Path annDir = base.resolve("annotations").resolve(split);
            if (!Files.isDirectory(imgDir)) {
                throw new DataException(imgDir, "folder not found (expected ADEChallengeData2016/images/" + split + ")");
            }
            PairListing listing = new PairListing();
            for (Path img : PairListing.list(imgDir, false, ".jpg", ".jpeg", ".png")) {
                String stem = PairListing.stem(img);
                Path mask = annDir.resolve(stem + ".png");
                if (!Files.isRegularFile(mask)) {
                    listing.problem(img, "image without a mask (expected " + mask + ")");
                    continue;
                }
                listing.add(new Sample(stem, img, mask));
            }
            return listing.build("ade20k:" + split, imgDir, Ade20kClasses.info(), decoder(), skipBad);
        }
    }
}
