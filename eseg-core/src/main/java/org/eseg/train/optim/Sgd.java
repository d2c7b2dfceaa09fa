package org.eseg.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import org.eseg.util.NoGrad;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Stochastic gradient descent with momentum and weight decay, with PyTorch's {@code torch.optim.SGD}
 * semantics (dampening 0), for the paper's recipe (docs/design.md section 2: momentum 0.9, weight decay
 * 5e-5). Per trainable parameter p with gradient g:
 *
 * <pre>
 *   g   = g · clip                      (clip = min(1, maxNorm / (‖all g‖₂ + 1e-6)) if clipping is on)
 *   d   = g + wd · p                    (wd = 0 for excluded parameters)
 *   buf = momentum · buf + d            (buf starts at 0, so the first step sets buf = d as PyTorch does)
 *   d   = nesterov ? d + momentum · buf : buf
 *   p  -= lr · d
 * </pre>
 *
 * Unlike DJL's {@code Optimizer.sgd()} it can exclude parameters from weight decay, and its state can
 * be saved and restored exactly. Parameters are updated in place; gradients are read, never changed
 * (clipping scales the update, not the stored gradient). Running statistics, frozen parameters and
 * parameters without a gradient are skipped.
 *
 * <p>Use: after {@code gc.backward(loss)} and outside the {@link ai.djl.training.GradientCollector},
 * call {@link #step(double)} then {@link #zeroGradients()} (PyTorch accumulates gradients and DJL's
 * collector does not clear them). Temporaries live in an {@link NDScope}; momentum buffers belong to
 * a manager owned by this optimizer, released by {@link #close()}. Not thread-safe.
 */
public final class Sgd implements AutoCloseable {

    /** Suffix of the momentum buffers' names in {@link #exportState}. */
    public static final String MOMENTUM_SUFFIX = ".momentum";

    private final List<Pair<String, Parameter>> parameters;
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final double maxGradNorm;
    private final BiPredicate<String, Parameter> noDecay;
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new HashMap<>();
    private double lastGradientNorm = Double.NaN;

    private Sgd(Builder b) {
        this.parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : b.parameters) {
            parameters.add(p);
        }
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.nesterov = b.nesterov;
        this.maxGradNorm = b.maxGradNorm;
        BiPredicate<String, Parameter> excluded = b.noDecay;
        if (b.excludeNormAndBias) {
            excluded = excluded.or(ParameterFilters.NORM_AND_BIAS);
        }
        this.noDecay = excluded;
        this.manager = parameters.get(0).getValue().getArray().getManager().newSubManager();
        manager.setName("sgd");
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
     * Applies one update with the given learning rate to every trainable parameter that has a
     * gradient. Call outside a gradient collector.
     *
     * @param lr the learning rate, for example {@code schedule.lr(step)}
     * @throws IllegalArgumentException if lr is negative or not finite
     */
    public void step(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
        }
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : parameters) {
                NDArray w = p.getValue().getArray();
                if (ParameterFilters.isTrainable(p.getValue()) && w.hasGradient()) {
                    grads.put(p.getKey(), w.getGradient()); // a new wrapper; the scope closes it
                }
            }
            double clip = clipFactor(grads.values());
            for (Pair<String, Parameter> p : parameters) {
                NDArray g = grads.get(p.getKey());
                if (g != null) {
                    update(p.getKey(), p.getValue(), g, clip, lr);
                }
            }
        }
    }

    private void update(String name, Parameter param, NDArray grad, double clip, double lr) {
        NDArray w = param.getArray();
        NDArray d = clip < 1 ? grad.mul((float) clip) : grad;
        if (weightDecay != 0 && !noDecay.test(name, param)) {
            d = d.add(w.mul(weightDecay));
        }
        if (momentum != 0) {
            NDArray buf = buffers.get(name);
            if (buf == null) {
                buf = own(w.zerosLike());
                buffers.put(name, buf);
            }
            buf.muli(momentum).addi(d);
            d = nesterov ? d.add(buf.mul(momentum)) : buf;
        }
        w.subi(d.mul(lr));
    }

    /** Global-norm clipping as torch.nn.utils.clip_grad_norm_; 1 when clipping is off. */
    private double clipFactor(Iterable<NDArray> grads) {
        if (maxGradNorm <= 0) {
            lastGradientNorm = Double.NaN;
            return 1;
        }
        NDArray sumSquares = null;
        for (NDArray g : grads) {
            NDArray s = g.square().sum();
            sumSquares = sumSquares == null ? s : sumSquares.add(s);
        }
        double norm = sumSquares == null ? 0 : Math.sqrt(sumSquares.getFloat());
        lastGradientNorm = norm;
        return Math.min(1, maxGradNorm / (norm + 1e-6));
    }

    /**
     * Sets the gradient of every trainable parameter to zero, in place (also clearing NaN or
     * infinite values).
     */
    public void zeroGradients() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Pair<String, Parameter> p : parameters) {
                NDArray w = p.getValue().getArray();
                if (ParameterFilters.isTrainable(p.getValue()) && w.hasGradient()) {
                    w.getGradient().set(new NDIndex("..."), 0);
                }
            }
        }
    }

    /**
     * Returns the global gradient norm measured by the last {@link #step}, before clipping.
     *
     * @return the norm, or NaN if clipping is off or no step was made
     */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * Returns whether weight decay applies to a parameter.
     *
     * @param name the parameter's name in the parameter list
     * @param param the parameter
     * @return true if it is trained and decayed
     */
    public boolean decays(String name, Parameter param) {
        return weightDecay != 0 && ParameterFilters.isTrainable(param) && !noDecay.test(name, param);
    }

    /**
     * Exports the momentum buffers for a checkpoint: copies named {@code <parameter name>}
     * {@value #MOMENTUM_SUFFIX}, in parameter order. Parameters not yet stepped have no buffer.
     *
     * @param target the manager the copies are attached to (the caller closes them)
     * @return the state
     */
    public NDList exportState(NDManager target) {
        NDList state = new NDList();
        for (Pair<String, Parameter> p : parameters) {
            NDArray buf = buffers.get(p.getKey());
            if (buf != null) {
                NDArray copy = buf.duplicate();
                copy.attach(target);
                copy.setName(p.getKey() + MOMENTUM_SUFFIX);
                state.add(copy);
            }
        }
        return state;
    }

    /**
     * Replaces the momentum buffers with copies of an exported state, so that training resumes
     * exactly. Buffers not in the state are reset to zero (as for a parameter never stepped).
     *
     * @param state arrays named as by {@link #exportState}; not closed
     * @throws IllegalArgumentException if a name is unknown or a shape does not match its parameter;
     *     the optimizer is then unchanged
     */
    public void importState(NDList state) {
        Map<String, NDArray> sources = new HashMap<>();
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            byName.put(p.getKey(), p.getValue());
        }
        for (NDArray a : state) {
            String n = a.getName();
            if (n == null || !n.endsWith(MOMENTUM_SUFFIX)) {
                throw new IllegalArgumentException("not an SGD momentum buffer: " + n);
            }
            String key = n.substring(0, n.length() - MOMENTUM_SUFFIX.length());
            Parameter param = byName.get(key);
            if (param == null) {
                throw new IllegalArgumentException("momentum buffer " + n + " names no parameter of this optimizer");
            }
            if (!a.getShape().equals(param.getArray().getShape())) {
                throw new IllegalArgumentException("momentum buffer " + n + " has shape " + a.getShape()
                        + " but the parameter has " + param.getArray().getShape());
            }
            if (sources.put(key, a) != null) {
                throw new IllegalArgumentException("momentum buffer " + n + " appears twice");
            }
        }
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        for (Map.Entry<String, NDArray> e : sources.entrySet()) {
            NDArray w = byName.get(e.getKey()).getArray();
            NDArray a = e.getValue();
            // duplicate() clones; toType(.., true) may alias the source when the type already matches.
            buffers.put(e.getKey(), own(a.getDataType() == w.getDataType() ? a.duplicate() : a.toType(w.getDataType(), true)));
        }
    }

    /** Moves an array to this optimizer's manager and out of any open NDScope, so it outlives steps. */
    private NDArray own(NDArray a) {
        a.attach(manager);
        NDScope.unregister(a);
        return a;
    }

    /** Releases the momentum buffers. */
    @Override
    public void close() {
        buffers.clear();
        manager.close();
    }

    @Override
    public String toString() {
        return "Sgd[momentum=" + momentum + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov
                + ", maxGradNorm=" + maxGradNorm + ", parameters=" + parameters.size() + "]";
    }

    /** Options of {@link Sgd}; {@link #setParameters} is required. */
    public static final class Builder {
        private ParameterList parameters;
        private double momentum = 0.9;
        private double weightDecay;
        private boolean nesterov;
        private double maxGradNorm;
        private boolean excludeNormAndBias;
        private BiPredicate<String, Parameter> noDecay = (n, p) -> false;

        private Builder() {}

        /**
         * Sets the parameters to train, normally {@code block.getParameters()}; their names key the
         * optimizer state. The block must be initialised.
         *
         * @param parameters the parameters
         * @return this builder
         */
        public Builder setParameters(ParameterList parameters) {
            this.parameters = parameters;
            return this;
        }

        /**
         * Sets the momentum factor (default 0.9, the paper's; 0 turns momentum off).
         *
         * @param momentum a value in [0, 1)
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets the L2 weight decay added to the gradient (default 0; the paper uses 5e-5).
         *
         * @param weightDecay a value >= 0
         * @return this builder
         */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Whether to use Nesterov momentum (default false).
         *
         * @param nesterov true for Nesterov
         * @return this builder
         */
        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * Clips the global L2 norm of all gradients to this value (default 0: no clipping).
         *
         * @param maxGradNorm the maximum norm, > 0, or 0 for none
         * @return this builder
         */
        public Builder optMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /**
         * Whether to exclude BatchNorm gamma/beta and all biases from weight decay
         * ({@link ParameterFilters#NORM_AND_BIAS}; default false, as PyTorch).
         *
         * @param exclude true to exclude them
         * @return this builder
         */
        public Builder optExcludeNormAndBias(boolean exclude) {
            this.excludeNormAndBias = exclude;
            return this;
        }

        /**
         * Excludes further parameters from weight decay; combined with "or" with the norm-and-bias
         * flag. See {@link ParameterFilters} for ready-made predicates.
         *
         * @param noDecay true for parameters (name, parameter) that must not be decayed
         * @return this builder
         */
        public Builder optDecayExclusion(BiPredicate<String, Parameter> noDecay) {
            this.noDecay = noDecay;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer; close it to release its state
         * @throws IllegalArgumentException if the parameters are missing, empty or uninitialised, or
         *     an option is out of range
         */
        public Sgd build() {
            if (parameters == null || parameters.isEmpty()) {
                throw new IllegalArgumentException("parameters must be set to a non-empty list (setParameters)");
            }
            for (Pair<String, Parameter> p : parameters) {
                if (!p.getValue().isInitialized()) {
                    throw new IllegalArgumentException("parameter " + p.getKey() + " is not initialised");
                }
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
            }
            if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
                throw new IllegalArgumentException("maxGradNorm must be finite and >= 0, got " + maxGradNorm);
            }
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("nesterov needs a momentum > 0");
            }
            if (noDecay == null) {
                throw new IllegalArgumentException("the decay exclusion predicate must not be null");
            }
            return new Sgd(this);
        }
    }
}
