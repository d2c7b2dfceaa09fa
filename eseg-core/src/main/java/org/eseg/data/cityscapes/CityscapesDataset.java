package org.eseg.data.cityscapes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.eseg.data.DataException;
import org.eseg.data.PairListing;
import org.eseg.data.PairedDataset;
import org.eseg.data.Sample;

/**
 * Reads the Cityscapes layout:
 * {@code leftImg8bit/<split>/<city>/<city>_<seq>_<frame>_leftImg8bit.png} with
 * {@code gtFine/<split>/<city>/<city>_<seq>_<frame>_gtFine_labelTrainIds.png} (read as they are) or, when that is
 * absent, {@code ..._gtFine_labelIds.png} (mapped with {@link CityscapesLabels#trainId}).
 */
public final class CityscapesDataset {

    private CityscapesDataset() {}

    /** The splits of the layout. */
    public static final Set<String> SPLITS = Set.of("train", "val", "test");

    private static final String IMG_SUFFIX = "_leftImg8bit.png";

    /**
     * Starts a reader for a dataset root (the folder holding {@code leftImg8bit} and {@code gtFine}).
     *
     * @param root the root
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Options of the Cityscapes reader. */
    public static final class Builder {
        private final Path root;
        private String split = "train";
        private boolean skipBad;
        private boolean preferLabelIds;

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * Sets the split (train, val or test; default train).
         *
         * @param split the split
         * @return this
         */
        public Builder split(String split) {
            if (!SPLITS.contains(split)) {
                throw new IllegalArgumentException("Cityscapes split must be one of train, val, test; got " + split);
            }
            this.split = split;
            return this;
        }

        /**
         * Leaves out pairs with listing problems (e.g. no mask) instead of failing; they are kept in
         * {@code skipped()}.
         *
         * @param skipBad true to skip
         * @return this
         */
        public Builder skipBad(boolean skipBad) {
            this.skipBad = skipBad;
            return this;
        }

        /**
         * Reads {@code _labelIds.png} even where a {@code _labelTrainIds.png} exists.
         *
         * @param prefer true to prefer label ids
         * @return this
         */
        public Builder preferLabelIds(boolean prefer) {
            this.preferLabelIds = prefer;
            return this;
        }

        /**
         * Lists the split.
         *
         * @return the dataset
         * @throws DataException if the folders are missing or empty, or (unless skipBad) an image has no mask
         */
        public PairedDataset build() {
            Path imgDir = root.resolve("leftImg8bit").resolve(split);
            Path gtDir = root.resolve("gtFine").resolve(split);
            if (!Files.isDirectory(imgDir)) {
                throw new DataException(imgDir, "folder not found (expected the Cityscapes layout "
                        + "leftImg8bit/<split>/<city>/*_leftImg8bit.png under " + root + ")");
            }
            PairListing listing = new PairListing();
            Boolean trainIds = null;
            for (Path img : PairListing.list(imgDir, true, IMG_SUFFIX)) {
                String name = img.getFileName().toString();
                String stem = name.substring(0, name.length() - IMG_SUFFIX.length());
                Path cityDir = gtDir.resolve(imgDir.relativize(img.getParent()).toString());
                Path trainMask = cityDir.resolve(stem + "_gtFine_labelTrainIds.png");
                Path idMask = cityDir.resolve(stem + "_gtFine_labelIds.png");
                boolean useTrain = !preferLabelIds && Files.isRegularFile(trainMask);
                Path mask = useTrain ? trainMask : idMask;
                if (!Files.isRegularFile(mask)) {
                    listing.problem(img, "image without a mask (expected " + idMask + ")");
                    continue;
                }
                if (trainIds != null && trainIds != useTrain) {
                    listing.problem(mask, "mixes _labelIds and _labelTrainIds masks in one split");
                    continue;
                }
                trainIds = useTrain;
                listing.add(new Sample(stem, img, mask));
            }
            boolean train = trainIds != null && trainIds;
            return listing.build("cityscapes:" + split, imgDir, CityscapesLabels.info(),
                    train ? CityscapesLabels.trainIdDecoder() : CityscapesLabels.labelIdDecoder(), skipBad);
        }
    }
}
