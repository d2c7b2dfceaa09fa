package org.eseg.data.mapillary;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eseg.data.DataException;
import org.eseg.data.PairListing;
import org.eseg.data.PairedDataset;
import org.eseg.data.Sample;
import org.eseg.data.Splits;

/**
 * Reads Mapillary Vistas: {@code <split>/images/<key>.jpg} with {@code <split>/<version>/labels/<key>.png}, and
 * the classes of {@code config_<version>.json} at the root ({@link MapillaryConfig}). Releases before v1.2 keep
 * their masks in {@code <split>/labels} and their labels in {@code config.json}; both are found too.
 */
public final class MapillaryDataset {

    /** The release of the paper's era and the default: 65 classes. */
    public static final String V1_2 = "v1.2";
    /** The later release: 123 classes. */
    public static final String V2_0 = "v2.0";

    private MapillaryDataset() {}

    /**
     * Starts a reader.
     *
     * @param root the folder holding {@code training}, {@code validation} and the config file
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Options of the Mapillary Vistas reader. */
    public static final class Builder {
        private final Path root;
        private String split = "training";
        private String version = V1_2;
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
            this.split = Splits.trainingOrValidation(split, "Mapillary Vistas");
            return this;
        }

        /**
         * Sets the release whose labels are read: {@value #V1_2} (default) or {@value #V2_0}.
         *
         * @param version the release
         * @return this
         */
        public Builder version(String version) {
            if (!V1_2.equals(version) && !V2_0.equals(version)) {
                throw new IllegalArgumentException("Mapillary Vistas version must be " + V1_2 + " or " + V2_0
                        + ", got " + version);
            }
            this.version = version;
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
         * Reads the config and lists the split.
         *
         * @return the dataset
         * @throws DataException naming the missing folder or config file, or the first bad pair
         */
        public PairedDataset build() {
            Path imgDir = root.resolve(split).resolve("images");
            if (!Files.isDirectory(imgDir)) {
                throw new DataException(imgDir, "folder not found (expected the Mapillary Vistas layout "
                        + split + "/images/*.jpg with " + split + "/" + version + "/labels/*.png)");
            }
            MapillaryConfig config = MapillaryConfig.read(configFile());
            Path labelDir = root.resolve(split).resolve(version).resolve("labels");
            if (!Files.isDirectory(labelDir) && Files.isDirectory(root.resolve(split).resolve("labels"))) {
                labelDir = root.resolve(split).resolve("labels");
            }
            PairListing listing = new PairListing();
            for (Path img : PairListing.list(imgDir, false, ".jpg", ".jpeg", ".png")) {
                String key = PairListing.stem(img);
                Path mask = labelDir.resolve(key + ".png");
                if (!Files.isRegularFile(mask)) {
                    listing.problem(img, "image without a mask (expected " + mask + ")");
                    continue;
                }
                listing.add(new Sample(key, img, mask));
            }
            return listing.build("mapillary-" + version + ":" + split, imgDir, config.classes(), config.decoder(),
                    skipBad);
        }

        private Path configFile() {
            Path versioned = root.resolve("config_" + version + ".json");
            if (Files.isRegularFile(versioned)) {
                return versioned;
            }
            Path legacy = root.resolve("config.json");
            if (Files.isRegularFile(legacy)) {
                return legacy;
            }
            throw new DataException(versioned, "not found (expected the label list of Mapillary Vistas "
                    + version + "; releases before v1.2 call it config.json)");
        }
    }
}
