package org.eseg.infer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.eseg.data.ClassInfo;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.io.ImageTensors;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.Runtimes;
import org.eseg.infer.runtime.SegmentationRuntime;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ModelFile;
import org.eseg.model.io.StoredClasses;
import org.eseg.util.NoGrad;

/**
 * The Java entry point for inference: load a trained model once, then segment images from any number of
 * threads at once. Each call works in its own NDManager and turns autograd off for its thread; the model's
 * weights are only read.
 *
 * <pre>{@code
 * try (Segmenter s = Segmenter.load(Path.of("runs/city/latest.eseg"))) {
 *     Segmentation seg = s.segment(ImageIO.read(file));
 *     int cls = seg.label(y, x);
 *     Segmentation tta = s.segment(ImageFiles.readRgb(file), InferenceOptions.multiScaleFlip());
 * }
 * }</pre>
 *
 * <p>The network runs on the runtime chosen at load time: the model's own DJL blocks ({@link RuntimeKind#DJL_EAGER},
 * the default), its compiled TorchScript on DJL ({@link RuntimeKind#DJL}) or ONNX Runtime ({@link RuntimeKind#ONNX});
 * test-time augmentation and sliding windows work the same on all of them. {@link RuntimeOptions#precision()}
 * chooses the number format: int8 on ONNX Runtime, calibrated on the images of
 * {@link RuntimeOptions#calibration()} ({@code RuntimeOptions.DEFAULT.withPrecision(Precision.INT8,
 * Calibration.fromFolder(trainImages, 200, Calibration.MIN_MAX))}).
 *
 * <p>The DJL way ({@code Model} and {@code Predictor}) is {@link #djlModel} with a {@link SegmenterTranslator};
 * a DJL {@code Predictor} is for one thread, the segmenter for any number.
 */
public final class Segmenter implements AutoCloseable {

    private final NDManager manager;
    private final EsegModel model;
    private final ClassInfo classes;
    /** The compiled network, or null to run the model's blocks. */
    private final SegmentationRuntime runtime;

    private Segmenter(NDManager manager, EsegModel model, ClassInfo classes, SegmentationRuntime runtime) {
        this.manager = manager;
        this.model = model;
        this.classes = classes;
        this.runtime = runtime;
    }

    /**
     * Loads a model or checkpoint file (a checkpoint holds the EMA weights when the run kept an EMA).
     *
     * @param path the file
     * @return the segmenter; close it to free the weights
     * @throws IOException if the file is missing, truncated or not an eseg model, naming it
     */
    public static Segmenter load(Path path) throws IOException {
        return load(path, RuntimeKind.DJL_EAGER, RuntimeOptions.DEFAULT);
    }

    /**
     * Loads a model or checkpoint file and opens it on a runtime.
     *
     * @param path the file
     * @param kind the runtime: the model's blocks, its TorchScript on DJL, or ONNX Runtime (any image size)
     * @param options threads and precision (a fixed input size is ignored: images come in all sizes)
     * @return the segmenter; close it to free the weights and the runtime
     * @throws IOException if the file is missing, truncated or not an eseg model, naming it
     */
    public static Segmenter load(Path path, RuntimeKind kind, RuntimeOptions options) throws IOException {
        Runtimes.checkPrecision(kind, options.precision());
        NDManager manager = NDManager.newBaseManager();
        SegmentationRuntime runtime = null;
        try {
            EsegModel model = ModelFile.load(path, manager);
            StoredClasses stored = ModelFile.readClasses(path);
            ClassInfo classes = stored == null ? null : new ClassInfo(stored.names(), stored.colors());
            if (classes == null) {
                int n = model.config().numClasses();
                classes = defaultClasses(n);
            }
            if (kind != RuntimeKind.DJL_EAGER) {
                // Images come in all sizes: never a fixed-size export.
                runtime = Runtimes.open(kind, model, options.anySize());
            }
            return new Segmenter(manager, model, classes, runtime);
        } catch (IOException | RuntimeException e) {
            if (runtime != null) {
                runtime.close();
            }
            manager.close();
            throw e;
        }
    }

    /**
     * Names for a model file without a class list: {@code class0}, {@code class1}, ... with the default palette.
     *
     * @param n the class count
     * @return the classes
     */
    public static ClassInfo defaultClasses(int n) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("class" + i);
        }
        return new ClassInfo(names, ClassInfo.defaultPalette(n));
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
        return new Segmenter(manager.newSubManager(), model, classes, null);
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
     * The runtime the network runs on.
     *
     * @return the kind
     */
    public RuntimeKind runtime() {
        return runtime == null ? RuntimeKind.DJL_EAGER : runtime.kind();
    }

    /**
     * Logits of a batch on this segmenter's runtime, with autograd off.
     *
     * @param images (N, 3, H, W) normalised
     * @return (N, classes, H, W), owned by the images' manager
     */
    public NDArray logits(NDArray images) {
        if (runtime == null) {
            return Inference.logits(model, images);
        }
        try (NoGrad g = NoGrad.enter()) {
            return runtime.logits(images);
        }
    }

    /**
     * Segments an image with one whole-image pass (the paper's protocol).
     *
     * @param image RGB in [0, 255]
     * @return labels and confidences at the image's size
     */
    public Segmentation segment(RgbImage image) {
        return segment(image, InferenceOptions.DEFAULT);
    }

    /**
     * Segments an image with test-time augmentation and/or sliding windows.
     *
     * @param image RGB in [0, 255]
     * @param options scales, flip and window
     * @return labels and confidences (averaged probabilities) at the image's size
     */
    public Segmentation segment(RgbImage image, InferenceOptions options) {
        if (StreamingSlide.applies(options)) {
            // Window by window: a large image never becomes one input, logit or probability tensor.
            return StreamingSlide.segment(this::logits, image, options.window(), manager);
        }
        try (NDManager m = manager.newSubManager()) {
            return Segmentation.fromProbabilities(probabilities(ImageTensors.input(image, m), options));
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
     * Class probabilities of every pixel, one whole-image pass.
     *
     * @param image RGB in [0, 255]
     * @return (classes, H, W) row-major softmax probabilities
     */
    public float[] probabilities(RgbImage image) {
        return probabilities(image, InferenceOptions.DEFAULT);
    }

    /**
     * Class probabilities of every pixel, averaged over the test-time augmentations.
     *
     * @param image RGB in [0, 255]
     * @param options scales, flip and window
     * @return (classes, H, W) row-major probabilities
     */
    public float[] probabilities(RgbImage image, InferenceOptions options) {
        try (NDManager m = manager.newSubManager()) {
            return probabilities(ImageTensors.input(image, m), options).toFloatArray();
        }
    }

    private NDArray probabilities(NDArray images, InferenceOptions options) {
        try (NoGrad g = NoGrad.enter()) {
            return Inference.probabilities(this::logits, images, options);
        }
    }

    /**
     * A DJL {@link Model} whose block is this segmenter's network with the given options (a
     * {@link SegmentationBlock}); make predictors from it with a {@link SegmenterTranslator}:
     *
     * <pre>{@code
     * try (Model model = segmenter.djlModel(InferenceOptions.DEFAULT);
     *         Predictor<Image, Segmentation> p = model.newPredictor(new SegmenterTranslator())) {
     *     Segmentation seg = p.predict(ImageFactory.getInstance().fromFile(file));
     * }
     * }</pre>
     *
     * The weights stay owned by the segmenter: close the model before the segmenter.
     *
     * @param options scales, flip and window
     * @return a new model; close it
     */
    public Model djlModel(InferenceOptions options) {
        Model m = Model.newInstance("eseg", "PyTorch"); // the engine the weights live on
        m.setBlock(new SegmentationBlock(model, options));
        return m;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
        manager.close();
    }
}
