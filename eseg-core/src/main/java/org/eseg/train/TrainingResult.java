package org.eseg.train;

import java.nio.file.Path;
import org.eseg.eval.ConfusionMatrix;
import org.eseg.eval.SegmentationMetrics;

/**
 * How a training run ended.
 *
 * @param runDir the run folder
 * @param checkpoint the last checkpoint written
 * @param steps steps done
 * @param lastLoss the last step's loss
 * @param validation the last validation (null if none ran)
 * @param confusion the last validation's confusion matrix (null if none ran)
 * @param interrupted whether a stop was requested before the last step
 */
public record TrainingResult(
        Path runDir, Path checkpoint, long steps, double lastLoss, SegmentationMetrics validation, ConfusionMatrix confusion,
        boolean interrupted) {}
