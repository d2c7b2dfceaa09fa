package org.eseg.train.bench;

/**
 * The figures of one training path.
 *
 * @param path the path's label
 * @param steps timed steps
 * @param msMean mean milliseconds per step
 * @param msP50 median milliseconds per step
 * @param imagesPerSecond batch / mean seconds per step
 * @param cpuMsMean mean processor milliseconds the whole process used per step (all its threads): on a machine
 *     shared with other work, a figure that depends less on how much of the processors this process was given
 * @param forwardMs mean milliseconds of the forward pass and loss
 * @param backwardMs mean milliseconds of the backward pass
 * @param optimizerMs mean milliseconds of the optimiser update (and zeroing the gradients)
 * @param emaMs mean milliseconds of the weight average's update
 * @param peakRssMb peak resident memory of the process while this path was built and warmed up, MiB (-1 if unknown)
 */
public record TrainBenchmarkResult(String path, int steps, double msMean, double msP50, double imagesPerSecond,
        double cpuMsMean, double forwardMs, double backwardMs, double optimizerMs, double emaMs, double peakRssMb) {}
