package org.eseg.train.checkpoint;

import org.eseg.data.loader.LoaderState;

/**
 * Where a training run stands: enough, with the weights and optimizer state, to continue exactly.
 *
 * @param step optimizer steps done
 * @param loader the data loader's position of the next batch
 * @param options the run's effective options (JSON of {@code TrainOptions})
 * @param lastLoss the loss of the last step
 * @param bestMiou the best validation mIoU so far (NaN if none)
 */
public record TrainState(long step, LoaderState loader, String options, double lastLoss, double bestMiou) {}
