package org.eseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import org.eseg.util.NoGrad;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eseg.util.Tensors;

/**
 * Exponential moving average of a model's weights (docs/design.md section 2: decay about 0.9998),
 * evaluated instead of the raw weights.
 *
 * <p>After each optimizer step, {@link #update()} sets, for every parameter p of the source block,
 * {@code ema = d · ema + (1 - d) · p}. With warm-up, the k-th update (k = 0, 1, ...) uses
 * {@code d_k = min(d, (1 + k) / (10 + k))} (TensorFlow's {@code num_updates} rule), so early
 * averages are not dominated by the random initial weights. The average starts as a copy of the
 * weights at construction.
 *
 * <p>BatchNorm running mean and variance are <b>averaged</b> like the weights, as timm's
 * {@code ModelEmaV2} does for all buffers: the averaged statistics then belong to the averaged
 * weights' history rather than to the last raw weights. (DJL has no integer buffers such as
 * {@code num_batches_tracked}.)
 *
 * <p>Shadow arrays belong to a manager owned by this object, released by {@link #close()}. Call
 * {@link #update()} outside a gradient collector. Not thread-safe.
 */
public final class Ema implements AutoCloseable {

    /** Name of the update counter in {@link #exportState}. */
    public static final String UPDATES_NAME = "ema.updates";

    private final ParameterList source;
    private final double decay;
    private final boolean warmup;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private long updates;

    private Ema(Builder b) {
        this.source = b.parameters;
        this.decay = b.decay;
        this.warmup = b.warmup;
        this.manager = source.get(0).getValue().getArray().getManager().newSubManager();
        manager.setName("ema");
        for (Pair<String, Parameter> p : source) {
            shadow.put(p.getKey(), own(p.getValue().getArray().duplicate()));
        }
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the decay the next {@link #update()} will use.
     *
     * @return d, or {@code min(d, (1 + k) / (10 + k))} with warm-up after k updates
     */
    public double currentDecay() {
        return warmup ? Math.min(decay, (1.0 + updates) / (10.0 + updates)) : decay;
    }

    /**
     * Returns the number of updates made (restored by {@link #importState}).
     *
     * @return the update count
     */
    public long updates() {
        return updates;
    }

    /** Folds the source block's current parameters into the average. */
    public void update() {
        double d = currentDecay();
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Pair<String, Parameter> p : source) {
                NDArray avg = shadow.get(p.getKey());
                // ema -= (1 - d) (ema - p): one fused form of d·ema + (1 - d)·p.
                avg.subi(avg.sub(p.getValue().getArray()).muli(1 - d));
            }
        }
        updates++;
    }

    /**
     * Copies the averaged weights into a block of the same architecture (for example a second,
     * evaluation-only instance of the model), in place.
     *
     * @param target an initialised block whose parameter names and shapes match the source's
     * @throws IllegalArgumentException if the parameters do not match; then nothing is copied
     */
    public void copyTo(Block target) {
        ParameterList params = target.getParameters();
        Map<String, NDArray> dest = new HashMap<>();
        for (Pair<String, Parameter> p : params) {
            NDArray avg = shadow.get(p.getKey());
            if (avg == null) {
                throw new IllegalArgumentException("target parameter " + p.getKey() + " has no average");
            }
            NDArray arr = p.getValue().getArray();
            if (!arr.getShape().equals(avg.getShape())) {
                throw new IllegalArgumentException("target parameter " + p.getKey() + " has shape "
                        + arr.getShape() + " but its average has " + avg.getShape());
            }
            dest.put(p.getKey(), arr);
        }
        if (dest.size() != shadow.size()) {
            throw new IllegalArgumentException("target has " + dest.size() + " parameters, the average " + shadow.size());
        }
        for (Map.Entry<String, NDArray> e : dest.entrySet()) {
            Tensors.assign(e.getValue(), shadow.get(e.getKey()));
        }
    }

    /**
     * Exports the averages for a checkpoint: copies named exactly like the source's parameters (so
     * the list can also be loaded as model weights), followed by the int64 scalar
     * {@value #UPDATES_NAME}.
     *
     * @param target the manager the copies are attached to (the caller closes them)
     * @return the state
     */
    public NDList exportState(NDManager target) {
        NDList state = new NDList();
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(target);
            copy.setName(e.getKey());
            state.add(copy);
        }
        NDArray count = target.create(updates);
        count.setName(UPDATES_NAME);
        state.add(count);
        return state;
    }

    /**
     * Restores averages and update count exported by {@link #exportState}.
     *
     * @param state one array per source parameter, by name, plus {@value #UPDATES_NAME}; not closed
     * @throws IllegalArgumentException if an array is missing, unknown or of the wrong shape; the
     *     average is then unchanged
     */
    public void importState(NDList state) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray a : state) {
            if (byName.put(a.getName(), a) != null) {
                throw new IllegalArgumentException("EMA state has " + a.getName() + " twice");
            }
        }
        NDArray count = byName.remove(UPDATES_NAME);
        if (count == null || count.size() != 1) {
            throw new IllegalArgumentException("EMA state lacks the scalar " + UPDATES_NAME);
        }
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray a = byName.remove(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("EMA state lacks " + e.getKey());
            }
            if (!a.getShape().equals(e.getValue().getShape())) {
                throw new IllegalArgumentException("EMA state " + e.getKey() + " has shape " + a.getShape()
                        + ", expected " + e.getValue().getShape());
            }
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException("EMA state has unknown arrays " + byName.keySet());
        }
        for (NDArray a : state) {
            NDArray avg = shadow.get(a.getName());
            if (avg != null) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    Tensors.assign(avg, a);
                }
            }
        }
        updates = count.toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
    }

    /**
     * Returns a copy of the average of one parameter.
     *
     * @param name the parameter's name in the source block
     * @param target the manager the copy is attached to
     * @return the copy
     * @throws IllegalArgumentException if there is no such parameter
     */
    public NDArray average(String name, NDManager target) {
        NDArray avg = shadow.get(name);
        if (avg == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        NDArray copy = avg.duplicate();
        copy.attach(target);
        return copy;
    }

    private NDArray own(NDArray a) {
        a.attach(manager);
        NDScope.unregister(a);
        return a;
    }

    /** Releases the averages. */
    @Override
    public void close() {
        shadow.clear();
        manager.close();
    }

    @Override
    public String toString() {
        return "Ema[decay=" + decay + ", warmup=" + warmup + ", parameters=" + shadow.size() + ", updates=" + updates + "]";
    }

    /** Options of {@link Ema}; {@link #setParameters} and {@link #setDecay} are required. */
    public static final class Builder {
        private ParameterList parameters;
        private double decay = Double.NaN;
        private boolean warmup;

        private Builder() {}

        /**
         * Sets the parameters to average, normally {@code block.getParameters()} of the trained
         * block (all of them, running statistics included).
         *
         * @param parameters the initialised parameters
         * @return this builder
         */
        public Builder setParameters(ParameterList parameters) {
            this.parameters = parameters;
            return this;
        }

        /**
         * Sets the decay d (the paper: about 0.9998).
         *
         * @param decay a value in [0, 1)
         * @return this builder
         */
        public Builder setDecay(double decay) {
            this.decay = decay;
            return this;
        }

        /**
         * Whether to warm the decay up as {@code min(d, (1 + k) / (10 + k))} (default false).
         *
         * @param warmup true to warm up
         * @return this builder
         */
        public Builder optWarmup(boolean warmup) {
            this.warmup = warmup;
            return this;
        }

        /**
         * Builds the average, copying the current parameter values.
         *
         * @return the average; close it to release its arrays
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public Ema build() {
            if (parameters == null || parameters.isEmpty()) {
                throw new IllegalArgumentException("parameters must be set to a non-empty list (setParameters)");
            }
            for (Pair<String, Parameter> p : parameters) {
                if (!p.getValue().isInitialized()) {
                    throw new IllegalArgumentException("parameter " + p.getKey() + " is not initialised");
                }
            }
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("decay must be set to a value in [0, 1), got " + decay);
            }
            return new Ema(this);
        }
    }
}
