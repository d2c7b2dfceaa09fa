package org.eseg.eval;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.LabeledImage;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.Segmenter;
import org.eseg.model.EsegModel;

/**
 * Evaluation over a dataset. The default is the paper's protocol: single scale, no flip, whole image; multi-scale
 * and flip test-time augmentation and sliding windows are {@link InferenceOptions}.
 */
public final class Evaluator {

    private Evaluator() {}

    /**
     * Runs a model over a dataset and accumulates the confusion matrix.
     *
     * @param model the model (its class count must equal the dataset's)
     * @param dataset the images and masks
     * @param limit evaluate at most this many images (0: all)
     * @param manager parent of the per-image managers
     * @param progress called with the number of images done so far (may be null)
     * @return the confusion matrix
     */
    public static ConfusionMatrix evaluate(
            EsegModel model, Dataset dataset, int limit, NDManager manager, IntConsumer progress) {
        return evaluate(model, dataset, limit, InferenceOptions.DEFAULT, manager, progress);
    }

    /**
     * Runs a model over a dataset with test-time augmentation or sliding windows and accumulates the confusion
     * matrix. The prediction of a pixel is the class with the highest averaged probability.
     *
     * @param model the model (its class count must equal the dataset's)
     * @param dataset the images and masks
     * @param limit evaluate at most this many images (0: all)
     * @param options scales, flip and window
     * @param manager parent of the per-image managers
     * @param progress called with the number of images done so far (may be null)
     * @return the confusion matrix
     */
    public static ConfusionMatrix evaluate(EsegModel model, Dataset dataset, int limit, InferenceOptions options,
            NDManager manager, IntConsumer progress) {
        checkClasses(model.config().numClasses(), dataset);
        try (Segmenter segmenter = Segmenter.of(model, dataset.classes(), manager)) {
            return evaluate(segmenter, dataset, limit, options, progress, null);
        }
    }

    /**
     * What an evaluation saw.
     *
     * @param confusion the confusion matrix of the images evaluated
     * @param images how many images were evaluated
     * @param skipped the images left out, each with the reason
     */
    public record Evaluation(ConfusionMatrix confusion, int images, List<DataProblem> skipped) {}

    /**
     * Runs a segmenter (on whichever runtime it was opened with) over a dataset; see
     * {@link #evaluate(EsegModel, Dataset, int, InferenceOptions, NDManager, IntConsumer)}. A pair that cannot be
     * read (damaged, above the pixel limit) or segmented (out of memory) stops the evaluation naming the file, or
     * with {@code skipBad} is left out and reported.
     *
     * @param segmenter the segmenter (its class count must equal the dataset's)
     * @param dataset the images and masks
     * @param limit evaluate at most this many images (0: all)
     * @param options scales, flip and window
     * @param skipBad leave out pairs that cannot be read or segmented instead of failing
     * @param progress called with the number of images done so far (may be null)
     * @return the confusion matrix and the pairs left out
     * @throws DataException naming the first pair that cannot be read or segmented, unless {@code skipBad}
     */
    public static Evaluation evaluate(Segmenter segmenter, Dataset dataset, int limit, InferenceOptions options,
            boolean skipBad, IntConsumer progress) {
        checkClasses(segmenter.classes().size(), dataset);
        List<DataProblem> skipped = new ArrayList<>();
        ConfusionMatrix cm = evaluate(segmenter, dataset, limit, options, progress, skipBad ? skipped::add : null);
        int n = limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
        return new Evaluation(cm, n - skipped.size(), List.copyOf(skipped));
    }

    private static void checkClasses(int modelClasses, Dataset dataset) {
        if (modelClasses != dataset.classes().size()) {
            throw new IllegalArgumentException("the model predicts " + modelClasses
                    + " classes, the dataset " + dataset.name() + " has " + dataset.classes().size());
        }
    }

    /** With {@code skip} null a bad pair fails the evaluation; otherwise it is passed to {@code skip}. */
    private static ConfusionMatrix evaluate(Segmenter segmenter, Dataset dataset, int limit,
            InferenceOptions options, IntConsumer progress, Consumer<DataProblem> skip) {
        ConfusionMatrix cm = new ConfusionMatrix(dataset.classes().size());
        int n = limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
        for (int i = 0; i < n; i++) {
            Path image = dataset.samples().get(i).image();
            try {
                LabeledImage s = dataset.load(i);
                // The predictions of Segmenter, as predict writes them.
                cm.update(unsigned(s.mask().labels()), unsigned(segmenter.segment(s.image(), options).labels()));
            } catch (DataException e) {
                if (skip == null) {
                    throw e;
                }
                skip.accept(DataProblem.of(e, image));
            } catch (OutOfMemoryError | EngineException e) {
                String why = PredictionWriter.Failure.of(image, e).message();
                if (skip == null) {
                    throw new DataException(image, why);
                }
                skip.accept(new DataProblem(image, why));
            }
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        return cm;
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = bytes[j] & 0xFF;
        }
        return out;
    }
}
