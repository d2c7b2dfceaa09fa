package org.eseg.train.optim;

import ai.djl.nn.Parameter;
import java.util.function.BiPredicate;

/** Predicates over (name, parameter) pairs, used to choose which parameters get weight decay. */
public final class ParameterFilters {

    private ParameterFilters() {}

    /**
     * BatchNorm scale and shift and every bias: type GAMMA, BETA or BIAS, or a name ending in
     * {@code gamma}, {@code beta} or {@code bias} (DJL names parameters like {@code 02BatchNorm_gamma}).
     * The usual set excluded from weight decay.
     */
    public static final BiPredicate<String, Parameter> NORM_AND_BIAS = (name, p) -> {
        Parameter.Type t = p.getType();
        return t == Parameter.Type.GAMMA
                || t == Parameter.Type.BETA
                || t == Parameter.Type.BIAS
                || name.endsWith("gamma")
                || name.endsWith("beta")
                || name.endsWith("bias");
    };

    /**
     * Parameters with at most one dimension (biases, norm scales, fusion weights): timm's rule for
     * excluding parameters from weight decay.
     */
    public static final BiPredicate<String, Parameter> AT_MOST_1D =
            (name, p) -> p.getArray().getShape().dimension() <= 1;

    /**
     * Returns whether a parameter is trained by an optimizer: it is not a running statistic and
     * requires a gradient.
     *
     * @param p the parameter
     * @return true if an optimizer should update it from its gradient
     */
    public static boolean isTrainable(Parameter p) {
        Parameter.Type t = p.getType();
        return t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR && p.requiresGradient();
    }
}
