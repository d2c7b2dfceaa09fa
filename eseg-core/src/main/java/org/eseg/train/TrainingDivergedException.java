package org.eseg.train;

/** The loss became NaN or infinite; the run stopped without writing a checkpoint of the bad state. */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and where the last good checkpoint is
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
