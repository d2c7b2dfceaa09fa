package org.eseg.data.loader;

/**
 * A loader's position: the next batch is the one starting at {@code cursor} in epoch {@code epoch}'s
 * permutation. Saved with a training checkpoint, it lets a resumed run see exactly the batches it would have.
 *
 * @param epoch the epoch, from 0
 * @param cursor the index into the epoch's permutation of the next batch's first primary sample
 */
public record LoaderState(long epoch, int cursor) {

    /** The start of training. */
    public static final LoaderState START = new LoaderState(0, 0);

    /** Validates the fields. */
    public LoaderState {
        if (epoch < 0 || cursor < 0) {
            throw new IllegalArgumentException("loader state must be non-negative, got epoch " + epoch
                    + " cursor " + cursor);
        }
    }
}
