package org.eseg.data;

/** Split names of the layouts that call their splits {@code training} and {@code validation}. */
public final class Splits {

    private Splits() {}

    /**
     * Normalises a split name: {@code training} or {@code validation}, with {@code train} and {@code val} accepted
     * as the other layouts spell them.
     *
     * @param split the name given
     * @param layout the layout's name for the error message, e.g. "ADE20K"
     * @return {@code training} or {@code validation}
     * @throws IllegalArgumentException for any other name
     */
    public static String trainingOrValidation(String split, String layout) {
        return switch (split) {
            case "training", "train" -> "training";
            case "validation", "val" -> "validation";
            default -> throw new IllegalArgumentException(
                    layout + " split must be training or validation (train/val), got " + split);
        };
    }
}
