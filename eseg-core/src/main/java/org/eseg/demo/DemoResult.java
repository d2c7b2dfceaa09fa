package org.eseg.demo;

import java.nio.file.Path;
import org.eseg.eval.SegmentationMetrics;

/**
 * Where the demo put everything, and how well the model did.
 *
 * @param data the synthetic dataset
 * @param runDir this run's folder
 * @param checkpoint the trained model (EMA weights)
 * @param metrics validation metrics
 * @param confusionCsv the confusion matrix
 * @param confusionPng its heat map
 * @param predictions label PNGs, colour masks and overlays of the validation images
 * @param curves the training curves
 * @param steps training steps done
 * @param seconds the demo's wall-clock time
 */
public record DemoResult(
        Path data,
        Path runDir,
        Path checkpoint,
        SegmentationMetrics metrics,
        Path confusionCsv,
        Path confusionPng,
        Path predictions,
        Path curves,
        long steps,
        double seconds) {}
