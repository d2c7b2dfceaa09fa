package org.eseg.infer.compile;

import org.eseg.graph.GraphBuilder;
import org.eseg.graph.InferenceGraph;
import org.eseg.model.EsegModel;

/**
 * Compiles a trained {@link EsegModel} into an {@link InferenceGraph}. Every block writes its own inference
 * steps ({@link org.eseg.graph.CompilableBlock}): BatchNorm folded into the convolution before it, fusion
 * weights turned into constants, resizes between maps of one level dropped. The graph computes what the
 * model computes in inference mode (up to float rounding).
 */
public final class ModelCompiler {

    private ModelCompiler() {}

    /**
     * Compiles a model.
     *
     * @param model an initialised (trained or random) model
     * @return the inference graph
     */
    public static InferenceGraph compile(EsegModel model) {
        GraphBuilder g = new GraphBuilder();
        int logits = g.compileOne(model, InferenceGraph.INPUT);
        return g.build(model.config().name(), model.config().numClasses(), logits);
    }
}
