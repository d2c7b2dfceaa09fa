package org.eseg.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eseg.data.DataProblem;
import org.eseg.eval.SegmentationMetrics;
import org.eseg.util.ResourceUsage;

/**
 * Writes {@code metrics.jsonl}: a line per logged step (loss, learning rate, throughput, memory and, with
 * skipBad, the pairs skipped so far), a line per validation, and with skipBad a last line naming the skipped
 * pairs.
 */
final class MetricsHook implements TrainingHook {

    private final MetricsLog log;
    private final TrainingData data;
    private final boolean skipBad;
    private final TrainingListener listener;

    MetricsHook(MetricsLog log, TrainingData data, boolean skipBad, TrainingListener listener) {
        this.log = log;
        this.data = data;
        this.skipBad = skipBad;
        this.listener = listener;
    }

    @Override
    public void onStep(LoggedStep s) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", s.step());
        line.put("loss", (float) s.loss());
        line.put("lr", s.lr());
        line.put("images_per_s", s.imagesPerSecond());
        line.put("rss_mb", ResourceUsage.residentMegabytes());
        line.put("heap_mb", ResourceUsage.heapCommittedMegabytes());
        if (skipBad) {
            line.put("skipped", data.skipped().size());
        }
        log.append(line);
    }

    @Override
    public void onValidation(long step, SegmentationMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("miou", m.meanIou());
        line.put("pixel_accuracy", m.pixelAccuracy());
        line.put("mean_class_accuracy", m.meanClassAccuracy());
        log.append(line);
    }

    /** With skipBad: logs what was left out (count and files) and says how many. */
    @Override
    public void onEnd(long step) {
        if (!skipBad) {
            return;
        }
        List<DataProblem> skipped = data.skipped();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("skipped", skipped.size());
        line.put("skipped_files", skipped.stream().map(DataProblem::toString).toList());
        log.append(line);
        listener.message("skipped " + skipped.size() + " bad image/mask pair" + (skipped.size() == 1 ? "" : "s")
                + (skipped.isEmpty() ? "" : " (named in " + log.file() + ")"));
    }
}
