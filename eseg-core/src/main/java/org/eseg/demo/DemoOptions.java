package org.eseg.demo;

import java.nio.file.Path;

/**
 * Settings of {@code eseg demo}.
 *
 * @param out the demo folder: the dataset goes in {@code out/data}, each run in a new {@code out/run-N}
 * @param minutes the whole demo's time budget (training gets what synthesis, evaluation and prediction leave)
 * @param model the model variant
 * @param seed seed of the dataset and of training
 * @param trainImages synthetic training images
 * @param valImages synthetic validation images
 */
public record DemoOptions(Path out, double minutes, String model, long seed, int trainImages, int valImages) {

    /** Checks the values. */
    public DemoOptions {
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("--minutes must be > 0, got " + minutes);
        }
        if (trainImages < 1 || valImages < 1) {
            throw new IllegalArgumentException("the demo needs at least one training and one validation image");
        }
    }
}
