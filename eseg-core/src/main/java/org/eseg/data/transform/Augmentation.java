package org.eseg.data.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.eseg.data.LabeledImage;

/**
 * The training augmentation of mmsegmentation in its order: random scale, random crop (with padding and
 * {@code cat_max_ratio}), horizontal flip, photometric distortion. Normalisation happens when batches are built.
 */
public final class Augmentation implements Transform {

    private final List<Transform> steps;

    private Augmentation(List<Transform> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Starts a builder with every step off.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The paper's Cityscapes recipe: scale [0.5, 2], crop, cat_max_ratio 0.75, flip 0.5, photometric distortion.
     *
     * @param cropHeight crop rows
     * @param cropWidth crop columns
     * @return the augmentation
     */
    public static Augmentation paper(int cropHeight, int cropWidth) {
        return builder().scale(0.5, 2.0).crop(cropHeight, cropWidth).catMaxRatio(0.75).flip(0.5)
                .photometric(true).build();
    }

    /**
     * Returns the steps in order.
     *
     * @return the steps
     */
    public List<Transform> steps() {
        return steps;
    }

    @Override
    public LabeledImage apply(LabeledImage in, RandomGenerator rng) {
        LabeledImage s = in;
        for (Transform t : steps) {
            s = t.apply(s, rng);
        }
        return s;
    }

    /** Options of {@link Augmentation}. */
    public static final class Builder {
        private double scaleMin = 1;
        private double scaleMax = 1;
        private int longSide;
        private int cropH;
        private int cropW;
        private double catMaxRatio = 1;
        private double flip;
        private boolean photometric;

        private Builder() {}

        /**
         * Random scale factor range (default none).
         *
         * @param min smallest factor
         * @param max largest factor
         * @return this
         */
        public Builder scale(double min, double max) {
            new RandomScale(min, max); // validates
            this.scaleMin = min;
            this.scaleMax = max;
            return this;
        }

        /**
         * Resizes each image so that its longer side has this many pixels before the random scale (default 0:
         * off).
         *
         * @param pixels the longer side, or 0
         * @return this
         */
        public Builder longSide(int pixels) {
            new RandomScale(1, 1, pixels); // validates
            this.longSide = pixels;
            return this;
        }

        /**
         * Random crop size (default none).
         *
         * @param height rows
         * @param width columns
         * @return this
         */
        public Builder crop(int height, int width) {
            new RandomCrop(height, width, 1); // validates
            this.cropH = height;
            this.cropW = width;
            return this;
        }

        /**
         * Largest share of one class in a crop (default 1 = off).
         *
         * @param ratio in (0, 1]
         * @return this
         */
        public Builder catMaxRatio(double ratio) {
            this.catMaxRatio = ratio;
            return this;
        }

        /**
         * Horizontal flip probability (default 0).
         *
         * @param probability 0..1
         * @return this
         */
        public Builder flip(double probability) {
            new RandomFlip(probability); // validates
            this.flip = probability;
            return this;
        }

        /**
         * mmsegmentation's photometric distortion on or off (default off).
         *
         * @param on true to enable
         * @return this
         */
        public Builder photometric(boolean on) {
            this.photometric = on;
            return this;
        }

        /**
         * Builds the augmentation.
         *
         * @return the augmentation
         */
        public Augmentation build() {
            if (catMaxRatio < 1 && cropH == 0) {
                throw new IllegalArgumentException("catMaxRatio needs a crop size");
            }
            List<Transform> steps = new ArrayList<>();
            boolean scale = scaleMin != 1 || scaleMax != 1 || longSide > 0;
            RandomScale rs = new RandomScale(scaleMin, scaleMax, longSide);
            if (scale && cropH > 0) {
                steps.add(new ScaleCrop(rs, new RandomCrop(cropH, cropW, catMaxRatio)));
            } else if (scale) {
                steps.add(rs);
            } else if (cropH > 0) {
                steps.add(new RandomCrop(cropH, cropW, catMaxRatio));
            }
            if (flip > 0) {
                steps.add(new RandomFlip(flip));
            }
            if (photometric) {
                steps.add(PhotometricDistortion.mmseg());
            }
            return new Augmentation(steps);
        }
    }
}
