package org.eseg.train;

/**
 * Where a training step's time goes: forward pass with the loss, backward pass, optimiser update (with zeroing the
 * gradients) and the weight average, summed over the steps measured. Not thread-safe.
 */
public final class StepPhases {

    private long forwardNanos;
    private long backwardNanos;
    private long optimizerNanos;
    private long emaNanos;
    private long steps;

    void add(long forward, long backward, long optimizer, long ema) {
        forwardNanos += forward;
        backwardNanos += backward;
        optimizerNanos += optimizer;
        emaNanos += ema;
        steps++;
    }

    /** Forgets the steps measured so far (for example the warm-up). */
    public void reset() {
        forwardNanos = 0;
        backwardNanos = 0;
        optimizerNanos = 0;
        emaNanos = 0;
        steps = 0;
    }

    /** @return mean milliseconds of the forward pass and the loss per step */
    public double forwardMs() {
        return mean(forwardNanos);
    }

    /** @return mean milliseconds of the backward pass per step */
    public double backwardMs() {
        return mean(backwardNanos);
    }

    /** @return mean milliseconds of the optimiser update and zeroing the gradients per step */
    public double optimizerMs() {
        return mean(optimizerNanos);
    }

    /** @return mean milliseconds of the weight average's update per step (0 without an EMA) */
    public double emaMs() {
        return mean(emaNanos);
    }

    private double mean(long nanos) {
        return steps == 0 ? Double.NaN : nanos / 1e6 / steps;
    }
}
