package org.eseg.model.layers;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eseg.util.torchscript.TorchScriptArchive;

/**
 * SiLU, x · sigmoid(x), computed by libtorch's own {@code silu} kernel.
 *
 * <p>DJL 0.36's PyTorch engine has no SiLU op. Written as {@code x.mul(sigmoid(x))}, autograd keeps both x and
 * sigmoid(x) of every map for the backward pass; libtorch's fused {@code silu} keeps x only and makes one pass
 * instead of two. The kernel is reached through a one-line TorchScript module, written here and loaded once per
 * JVM: an ESeg-S training step then needs about a quarter less memory and time (docs/performance.md,
 * "2026-12-03: training memory"). Gradients equal those of x · sigmoid(x) to float round-off.
 */
final class Silu {

    private static final String CLASS_NAME = "SiLU";

    private static final String SOURCE = "class " + CLASS_NAME + "(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + "  def forward(self: __torch__." + CLASS_NAME + ",\n"
            + "    x: Tensor) -> Tensor:\n"
            + "    return torch.silu(x)\n";

    /** The TorchScript profiling executor is off on the threads that call the module (see {@link #apply}). */
    private static final ThreadLocal<Boolean> PLAIN_EXECUTOR = ThreadLocal.withInitial(() -> false);

    private Silu() {}

    /**
     * SiLU of a map, recorded for autograd when the caller records.
     *
     * @param x any tensor
     * @return x · sigmoid(x), same shape, owned by x's manager
     */
    static NDArray apply(NDArray x) {
        if (!"PyTorch".equals(x.getManager().getEngine().getEngineName())) {
            return x.mul(Activation.sigmoid(x));
        }
        if (!PLAIN_EXECUTOR.get()) {
            // A single op gains nothing from the profiling executor, which would re-profile and re-specialise the
            // graph for each of the network's map shapes. The setting is per thread; DJL's inference calls turn
            // it off for themselves anyway.
            JniUtils.setGraphExecutorOptimize(false);
            PLAIN_EXECUTOR.set(true);
        }
        // "training" makes DJL run the module under the caller's autograd mode instead of its inference mode, whose
        // inference tensors could not be updated in place afterwards.
        return Loaded.MODEL.getBlock().forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
                .singletonOrThrow();
    }

    /** Loaded on first use (class initialisation is lazy and thread-safe) and kept for the life of the JVM. */
    private static final class Loaded {

        /** The model owns the module's native handle, which is freed when the model is: it must stay reachable. */
        private static final Model MODEL = load();

        private static Model load() {
            byte[] archive = TorchScriptArchive.write("silu", CLASS_NAME, SOURCE, List.of(), Map.of());
            Model m = Model.newInstance("silu", "PyTorch");
            try {
                m.load(new ByteArrayInputStream(archive), Map.of());
            } catch (IOException | MalformedModelException e) {
                m.close();
                throw new IllegalStateException("libtorch could not load the SiLU module: " + e.getMessage(), e);
            }
            return m;
        }
    }
}
