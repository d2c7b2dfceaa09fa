package org.eseg.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.eseg.data.Dataset;
import org.eseg.data.LabeledImage;
import org.eseg.data.io.ImageTensors;
import org.eseg.infer.Inference;
import org.eseg.infer.InferenceOptions;
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
        return evaluate(images -> Inference.logits(model, images), model.config().numClasses(), dataset, limit,
                options, manager, progress);
    }

    /**
     * Runs a segmenter (on whichever runtime it was opened with) over a dataset; see
     * {@link #evaluate(EsegModel, Dataset, int, InferenceOptions, NDManager, IntConsumer)}.
     *
     * @param segmenter the segmenter (its class count must equal the dataset's)
     * @param dataset the images and masks
     * @param limit evaluate at most this many images (0: all)
     * @param options scales, flip and window
     * @param manager parent of the per-image managers
     * @param progress called with the number of images done so far (may be null)
     * @return the confusion matrix
     */
    public static ConfusionMatrix evaluate(Segmenter segmenter, Dataset dataset, int limit, InferenceOptions options,
            NDManager manager, IntConsumer progress) {
        return evaluate(segmenter::logits, segmenter.classes().size(), dataset, limit, options, manager, progress);
    }

    private static ConfusionMatrix evaluate(UnaryOperator<NDArray> network, int modelClasses, Dataset dataset,
            int limit, InferenceOptions options, NDManager manager, IntConsumer progress) {
        int classes = dataset.classes().size();
        if (modelClasses != classes) {
            throw new IllegalArgumentException("the model predicts " + modelClasses
                    + " classes, the dataset " + dataset.name() + " has " + classes);
        }
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        int n = limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
        for (int i = 0; i < n; i++) {
            LabeledImage s = dataset.load(i);
            try (NDManager m = manager.newSubManager()) {
                // The same path as Segmenter: equal predictions, including ties.
                NDArray pred = Inference.probabilities(network, ImageTensors.input(s.image(), m), options).argMax(1);
                byte[] bytes = s.mask().labels();
                int[] labels = new int[bytes.length];
                for (int j = 0; j < labels.length; j++) {
                    labels[j] = bytes[j] & 0xFF;
                }
                cm.update(labels, pred.toType(DataType.INT32, false).toIntArray());
            }
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        return cm;
    }
}
