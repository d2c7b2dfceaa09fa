package org.eseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.io.ModelFile;
import org.eseg.model.io.ParameterNames;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.util.Tensors;

/** Starting a run from another run's weights (fine-tuning, e.g. Mapillary → Cityscapes). */
final class Pretrained {

    private Pretrained() {}

    /**
     * Copies a checkpoint's inference weights into a model of the same architecture. When only the class
     * count differs, the classifier keeps its fresh initialisation.
     *
     * @param model the new run's model (initialised)
     * @param source a checkpoint, model file or run folder
     * @param manager for temporaries
     * @param listener told what was re-initialised
     * @throws IOException if the source cannot be read or its architecture differs
     */
    static void initFrom(EsegModel model, Path source, NDManager manager, TrainingListener listener) throws IOException {
        Path file = Checkpoint.resolve(source);
        EsegConfig theirs = ModelFile.readConfig(file);
        EsegConfig ours = model.config();
        boolean newClasses = theirs.numClasses() != ours.numClasses();
        if (!theirs.withClasses(ours.numClasses()).equals(ours.withClasses(ours.numClasses()).withBackbone(theirs.backbone()))
                || !theirs.backbone().withDropPath(0).equals(ours.backbone().withDropPath(0))) {
            throw new IllegalArgumentException("the run to initialise from, " + source + ", is a " + theirs.name()
                    + " model; it cannot initialise a " + ours.name() + " (only the class count may differ)");
        }
        try (NDManager tmp = manager.newSubManager()) {
            EsegModel src = ModelFile.load(file, tmp);
            List<Parameter> classifier = model.classifierParameters();
            Map<String, NDArray> byName = new HashMap<>();
            ParameterNames.of(src).forEach((n, p) -> byName.put(n, p.getArray()));
            for (Map.Entry<String, Parameter> e : ParameterNames.of(model).entrySet()) {
                if (newClasses && classifier.contains(e.getValue())) {
                    continue;
                }
                Tensors.assign(e.getValue().getArray(), byName.get(e.getKey()));
            }
        }
        listener.message("initialised from " + file + (newClasses
                ? " (classifier re-initialised: " + theirs.numClasses() + " -> " + ours.numClasses() + " classes)" : ""));
    }
}
