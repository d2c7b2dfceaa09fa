package org.eseg.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.eseg.data.ClassInfo;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ModelFile;
import org.eseg.train.checkpoint.Checkpoint;

/**
 * The Java entry point for inference: load a trained model once, then segment images from any number of
 * threads at once. Each call works in its own NDManager and turns autograd off for its thread; the model's
 * weights are only read.
 *
 * <pre>{@code
 * try (Segmenter s = Segmenter.load(Path.of("runs/city"))) {
 *     Segmentation seg = s.segment(ImageIO.read(file));
 *     int cls = seg.label(y, x);
 * }
 * }</pre>
 */
public final class Segmenter implements AutoCloseable {

    private final NDManager manager;
    private final EsegModel model;
    private final ClassInfo classes;

    private Segmenter(NDManager manager, EsegModel model, ClassInfo classes) {
        this.manager = manager;
        this.model = model;
        this.classes = classes;
    }

    /**
     * Loads a model file, checkpoint or run folder (its latest checkpoint; EMA weights when the run kept
     * an EMA).
     *
     * @param path the file or folder
     * @return the segmenter; close it to free the weights
     * @throws IOException if the file is missing, truncated or not an eseg model, naming it
     */
    public static Segmenter load(Path path) throws IOException {
        NDManager manager = NDManager.newBaseManager();
        try {
            EsegModel model = ModelFile.load(path, manager);
            ClassInfo classes = Checkpoint.readClasses(path);
            if (classes == null) {
                int n = model.config().numClasses();
                java.util.List<String> names = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add("class" + i);
                }
                classes = new ClassInfo(names, ClassInfo.defaultPalette(n));
            }
            return new Segmenter(manager, model, classes);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Wraps a model already in memory.
     *
     * @param model an initialised model
     * @param classes its classes (size must equal the model's class count)
     * @param manager a manager the segmenter may create per-call sub-managers from (not closed by it)
     * @return the segmenter
     */
    public static Segmenter of(EsegModel model, ClassInfo classes, NDManager manager) {
        if (classes.size() != model.config().numClasses()) {
            throw new IllegalArgumentException("the model predicts " + model.config().numClasses()
                    + " classes, but " + classes.size() + " class names were given");
        }
        return new Segmenter(manager.newSubManager(), model, classes);
    }

    /**
     * The class names and colours.
     *
     * @return the classes
     */
    public ClassInfo classes() {
        return classes;
    }

    /**
     * The model.
     *
     * @return the model
     */
    public EsegModel model() {
        return model;
    }

    /**
     * Segments an image.
     *
     * @param image RGB in [0, 255]
     * @return labels and confidences at the image's size
     */
    public Segmentation segment(RgbImage image) {
        try (NDManager m = manager.newSubManager()) {
            NDArray probs = Inference.logits(model, Inference.toInput(image, m)).softmax(1);
            NDList best = new NDList(probs.argMax(1), probs.max(new int[] {1}));
            byte[] labels = best.get(0).toType(DataType.UINT8, false).toByteArray();
            float[] confidence = best.get(1).toFloatArray();
            return new Segmentation(image.height(), image.width(), labels, confidence);
        }
    }

    /**
     * Segments a Java image (grayscale, RGBA and 16-bit images are converted).
     *
     * @param image the image
     * @return labels and confidences at the image's size
     */
    public Segmentation segment(BufferedImage image) {
        return segment(ImageFiles.toRgb(image, null));
    }

    /**
     * Class probabilities of every pixel.
     *
     * @param image RGB in [0, 255]
     * @return (classes, H, W) row-major softmax probabilities
     */
    public float[] probabilities(RgbImage image) {
        try (NDManager m = manager.newSubManager()) {
            return Inference.logits(model, Inference.toInput(image, m)).softmax(1).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
