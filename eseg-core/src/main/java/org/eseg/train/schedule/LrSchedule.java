package org.eseg.train.schedule;

/** A learning rate as a function of the optimizer step (0-based: the rate used by step 0 first). */
@FunctionalInterface
public interface LrSchedule {

    /**
     * Returns the learning rate for a step.
     *
     * @param step the 0-based step number, at least 0
     * @return the learning rate, at least 0
     */
    double lr(long step);
}
