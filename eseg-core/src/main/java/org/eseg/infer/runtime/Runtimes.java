package org.eseg.infer.runtime;

import org.eseg.graph.InferenceGraph;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.export.onnx.OnnxExportOptions;
import org.eseg.infer.export.onnx.OnnxExporter;
import org.eseg.model.EsegModel;
import org.eseg.util.CpuFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a {@link SegmentationRuntime} of any kind for a trained model. */
public final class Runtimes {

    private static final Logger LOG = LoggerFactory.getLogger(Runtimes.class);

    private Runtimes() {}

    /**
     * Checks that a runtime can compute in a precision.
     *
     * @param kind the runtime
     * @param p the precision
     * @throws IllegalArgumentException naming the runtime that can
     */
    public static void checkPrecision(RuntimeKind kind, Precision p) {
        if (p == Precision.BF16) {
            throw new IllegalArgumentException("bf16 has no runtime yet (libtorch is limited to AVX2 on processors "
                    + "where its AVX-512 kernels compute wrong numbers); int8 runs on the onnx runtime");
        }
        if (!p.runsOn(kind)) {
            throw new IllegalArgumentException(p.label() + " runs on the onnx runtime only, not on " + kind.label());
        }
    }

    /**
     * Opens a runtime. ONNX runtimes get an in-memory export (fixed-size when the options promise one).
     *
     * @param kind the engine
     * @param model an initialised model; it must stay open while an eager runtime is used
     * @param options threads and input size
     * @return the runtime
     */
    public static SegmentationRuntime open(RuntimeKind kind, EsegModel model, RuntimeOptions options) {
        Precision p = options.precision();
        checkPrecision(kind, p);
        p.slowWarning(CpuFeatures.detect()).ifPresent(LOG::warn);
        return switch (kind) {
            case DJL -> new DjlRuntime(ModelCompiler.compile(model), options);
            case DJL_EAGER -> new EagerDjlRuntime(model, options);
            case ONNX -> {
                InferenceGraph graph = ModelCompiler.compile(model);
                OnnxExportOptions export = OnnxExportOptions.DEFAULT.withInput(options.inputSize(),
                        options.inputSize() == null ? 0 : options.batch());
                if (p == Precision.INT8) {
                    if (options.calibration() == null) {
                        throw new IllegalArgumentException("int8 needs calibration images (a few hundred "
                                + "training images of the model's dataset)");
                    }
                    export = export.withInt8(Int8Calibrator.calibrate(graph, options.calibration(), options));
                }
                yield OrtRuntime.open(OnnxExporter.export(graph, export), options);
            }
        };
    }
}
