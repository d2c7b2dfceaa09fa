package org.eseg.train;

import java.io.IOException;
import java.nio.file.Path;
import org.eseg.eval.SegmentationMetrics;

/** Redraws {@code curves.png} from the metrics log after each validation and checkpoint. */
final class CurvesHook implements TrainingHook {

    private final MetricsLog log;
    private final Path file;

    CurvesHook(MetricsLog log, Path file) {
        this.log = log;
        this.file = file;
    }

    @Override
    public void onValidation(long step, SegmentationMetrics metrics) throws IOException {
        TrainingCurves.write(log.read(), file);
    }

    @Override
    public void onCheckpoint(long step, Path checkpoint) throws IOException {
        TrainingCurves.write(log.read(), file);
    }
}
