package org.eseg.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void assignCopiesEveryValueInPlaceConvertingTheType() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.zeros(new Shape(2, 3));
            target.setRequiresGradient(true); // a parameter: in-place writes need autograd off
            NDArray value = m.create(new float[] {1, Float.NaN, -2, 3, Float.POSITIVE_INFINITY, 5}, new Shape(2, 3));
            Tensors.assign(target, value);
            assertArrayEquals(value.toFloatArray(), target.toFloatArray());
            assertEquals(new Shape(2, 3), target.getShape());
            NDArray w = m.zeros(new Shape(3));
            w.setRequiresGradient(true);
            Tensors.assign(w, m.create(new float[] {1, 2, 3}));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.mul(w).sum()); // still the same leaf: d(w^2)/dw = 2w
            }
            assertArrayEquals(new float[] {2, 4, 6}, w.getGradient().toFloatArray());
            NDArray half = m.zeros(new Shape(2), DataType.FLOAT16);
            Tensors.assign(half, m.create(new float[] {0.5f, 2f}));
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertArrayEquals(new float[] {0.5f, 2f}, half.toType(DataType.FLOAT32, false).toFloatArray());
            NDArray scalar = m.create(5L);
            Tensors.assign(scalar, m.create(7L));
            assertEquals(7L, scalar.getLong());
        }
    }

    /**
     * Builds a model and loads weights into it, the steps that used DJL's copyTo (run in a fresh JVM: libtorch
     * prints its warning once per process).
     *
     * @param args none
     * @throws Exception if that fails
     */
    public static void main(String[] args) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            EsegModel model = EsegModel.create(EsegVariants.byName("eseg-lite-s").withClasses(3));
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            ModelFile.loadInto(model, ModelFile.encode(model), m, "weights");
        }
        System.out.println("done");
    }

    @Test
    void buildingAndLoadingAModelPrintsNoLibtorchDeprecationWarning() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), TensorsTest.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("done"), out);
        assertFalse(out.contains("AutoNonVariableTypeMode"), out);
    }
}
