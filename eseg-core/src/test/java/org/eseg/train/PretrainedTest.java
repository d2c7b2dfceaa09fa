package org.eseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;
import org.eseg.model.io.ParameterNames;
import org.eseg.util.LibtorchThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning for another class count: everything is copied except what the head reports as its classifier. */
class PretrainedTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        // These models are built outside the trainer, which would otherwise set this.
        LibtorchThreads.set(1);
    }

    @Test
    void anotherClassCountResetsExactlyTheParametersTheHeadReportsAsClassifier() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel source = model(19, m);
            Path file = tmp.resolve("source.eseg");
            ModelFile.save(source, file);
            EsegModel target = model(5, m);
            Map<String, float[]> fresh = values(target);
            List<Parameter> classifier = target.classifierParameters();
            assertEquals(2, classifier.size(), "the classifier's weight and bias");

            Pretrained.initFrom(target, file, m, TrainingListener.NONE);

            Map<String, float[]> copied = values(source);
            Map<String, float[]> after = values(target);
            int kept = 0;
            for (Map.Entry<String, Parameter> e : ParameterNames.of(target).entrySet()) {
                String name = e.getKey();
                if (classifier.contains(e.getValue())) {
                    assertArrayEquals(fresh.get(name), after.get(name), name + " keeps its fresh initialisation");
                    kept++;
                } else {
                    assertArrayEquals(copied.get(name), after.get(name), name + " is copied from the source");
                }
            }
            assertEquals(classifier.size(), kept);
        }
    }

    private static EsegModel model(int classes, NDManager m) {
        EsegModel model = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(classes));
        model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return model;
    }

    private static Map<String, float[]> values(EsegModel model) {
        Map<String, float[]> out = new HashMap<>();
        ParameterNames.of(model).forEach((n, p) -> out.put(n, p.getArray().toFloatArray()));
        return out;
    }
}
