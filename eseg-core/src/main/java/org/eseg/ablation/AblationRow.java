package org.eseg.ablation;

import java.nio.file.Path;

/**
 * One trained and measured model of the ablation.
 *
 * @param model variant name
 * @param encoder backbone name
 * @param decoder decoder kind, lower case
 * @param miou validation mIoU at the end of training (NaN if the dataset has no validation split)
 * @param params trainable parameters
 * @param macs multiply-adds of one 1024×2048 image (the paper's FLOPs)
 * @param latencyMs mean milliseconds per image at the latency input size
 * @param checkpoint the trained checkpoint
 */
public record AblationRow(
        String model, String encoder, String decoder, double miou, long params, long macs, double latencyMs,
        Path checkpoint) {}
