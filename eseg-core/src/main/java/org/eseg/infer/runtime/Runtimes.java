package org.eseg.infer.runtime;

import org.eseg.graph.InferenceGraph;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.export.onnx.OnnxExportOptions;
import org.eseg.infer.export.onnx.OnnxExporter;
import org.eseg.model.EsegModel;

/** Opens a {@link SegmentationRuntime} of any kind for a trained model. */
public final class Runtimes {

    private Runtimes() {}

    /**
     * Opens a runtime. ONNX runtimes get an in-memory export (fixed-size when the options promise one).
     *
     * @param kind the engine
     * @param model an initialised model; it must stay open while an eager runtime is used
     * @param options threads and input size
     * @return the runtime
     */
    public static SegmentationRuntime open(RuntimeKind kind, EsegModel model, RuntimeOptions options) {
        return switch (kind) {
            case DJL -> new DjlRuntime(ModelCompiler.compile(model), options);
            case DJL_EAGER -> new EagerDjlRuntime(model, options);
            case ONNX -> {
                InferenceGraph graph = ModelCompiler.compile(model);
                byte[] onnx = OnnxExporter.export(graph,
                        OnnxExportOptions.DEFAULT.withInput(options.inputSize(),
                                options.inputSize() == null ? 0 : options.batch()));
                yield OrtRuntime.open(onnx, options);
            }
        };
    }
}
