package org.eseg.train.schedule;

/**
 * Linear warm-up followed by cosine decay to exactly 0 (docs/design.md section 2: "cosine decay to 0";
 * DJL's cosine tracker stops at 0.01 of the base rate by default, hence this class).
 *
 * <ul>
 *   <li>step &lt; warmup: {@code base · (f + (1 - f) · step / warmup)}, from {@code base · f} at
 *       step 0 rising linearly towards base;
 *   <li>warmup ≤ step &lt; total: {@code base · ½ (1 + cos(π · (step - warmup) / (total - warmup)))},
 *       so the cosine spans the steps after warm-up and starts at exactly base;
 *   <li>step ≥ total: 0.
 * </ul>
 */
public final class CosineSchedule implements LrSchedule {

    private final double baseLr;
    private final long totalSteps;
    private final long warmupSteps;
    private final double warmupStartFactor;

    /**
     * Creates the schedule.
     *
     * @param baseLr the peak rate (the paper: 0.08), at least 0
     * @param totalSteps the step at which the rate reaches 0 (the paper: 90k for Cityscapes), at least 1
     * @param warmupSteps steps of linear warm-up, in [0, totalSteps)
     * @param warmupStartFactor the fraction of baseLr at step 0 of the warm-up, in [0, 1]
     * @throws IllegalArgumentException if an argument is out of range
     */
    public CosineSchedule(double baseLr, long totalSteps, long warmupSteps, double warmupStartFactor) {
        if (!(baseLr >= 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("baseLr must be finite and >= 0, got " + baseLr);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException(
                    "warmupSteps must be in [0, totalSteps=" + totalSteps + "), got " + warmupSteps);
        }
        if (!(warmupStartFactor >= 0 && warmupStartFactor <= 1)) {
            throw new IllegalArgumentException("warmupStartFactor must be in [0, 1], got " + warmupStartFactor);
        }
        this.baseLr = baseLr;
        this.totalSteps = totalSteps;
        this.warmupSteps = warmupSteps;
        this.warmupStartFactor = warmupStartFactor;
    }

    /**
     * Creates a schedule without warm-up.
     *
     * @param baseLr the initial rate
     * @param totalSteps the step at which the rate reaches 0
     * @return the schedule
     */
    public static CosineSchedule withoutWarmup(double baseLr, long totalSteps) {
        return new CosineSchedule(baseLr, totalSteps, 0, 1);
    }

    /** {@inheritDoc} */
    @Override
    public double lr(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step >= totalSteps) {
            return 0;
        }
        if (step < warmupSteps) {
            return baseLr * (warmupStartFactor + (1 - warmupStartFactor) * step / warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return baseLr * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public String toString() {
        return "CosineSchedule[baseLr=" + baseLr + ", totalSteps=" + totalSteps + ", warmupSteps="
                + warmupSteps + ", warmupStartFactor=" + warmupStartFactor + "]";
    }
}
