package org.eseg.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.DatasetKind;
import org.eseg.eval.Evaluator;

/**
 * One Spark task of {@code eval}: evaluates a slice of the dataset with {@link Evaluator}, the call {@code eseg
 * eval} makes, and returns its confusion matrix; the driver sums them. The dataset is opened once per executor
 * JVM from a folder every executor can read.
 */
final class EvalTask implements FlatMapFunction<Iterator<int[]>, EvalTask.Part> {

    private static final long serialVersionUID = 1L;

    /**
     * Where the dataset is.
     *
     * @param kind the dataset kind
     * @param root its folder
     * @param split the split, or null
     * @param classes its class list file, or null
     * @param skipBad leave out pairs that cannot be read
     */
    record DatasetSpec(DatasetKind kind, String root, String split, String classes, boolean skipBad)
            implements Serializable {

        Dataset open() {
            return kind.open(Path.of(root), split, classes == null ? null : Path.of(classes), skipBad);
        }
    }

    /**
     * What a task saw.
     *
     * @param confusion its confusion matrix (rows: labels, columns: predictions)
     * @param images images evaluated
     * @param skipped images left out, each with the reason
     */
    record Part(long[][] confusion, int images, List<String> skipped) implements Serializable {}

    private static final Map<DatasetSpec, Dataset> OPEN = new ConcurrentHashMap<>();

    private final ModelSpec model;
    private final DatasetSpec data;

    EvalTask(ModelSpec model, DatasetSpec data) {
        this.model = model;
        this.data = data;
    }

    @Override
    public Iterator<Part> call(Iterator<int[]> ranges) throws Exception {
        int cpus = TaskContext.get().cpus();
        List<int[]> slices = new ArrayList<>();
        ranges.forEachRemaining(slices::add);
        return LargeStack.call(() -> {
            Dataset dataset = OPEN.computeIfAbsent(data, DatasetSpec::open);
            List<Part> parts = new ArrayList<>();
            for (int[] r : slices) {
                Evaluator.Evaluation ev = Evaluator.evaluate(ExecutorModels.forTask(model, cpus),
                        new DatasetSlice(dataset, r[0], r[1]), 0, model.options(), data.skipBad(), null);
                parts.add(new Part(ev.confusion().toArray(), ev.images(),
                        ev.skipped().stream().map(DataProblem::toString).toList()));
            }
            return parts;
        }).iterator();
    }
}
