package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.LabeledImage;

/**
 * A joint image + mask transform. It must draw all its randomness from {@code rng}, so that a sample's result
 * depends only on the generator's seed, never on threads or call order elsewhere.
 */
@FunctionalInterface
public interface Transform {

    /**
     * Transforms a sample. The input may be modified or reused; callers use only the result.
     *
     * @param in the sample
     * @param rng the sample's own random generator
     * @return the transformed sample
     */
    LabeledImage apply(LabeledImage in, RandomGenerator rng);

    /**
     * The transform that changes nothing.
     *
     * @return the identity
     */
    static Transform identity() {
        return (in, rng) -> in;
    }

    /**
     * Runs this transform, then another.
     *
     * @param next the transform to run after this one
     * @return the composition
     */
    default Transform then(Transform next) {
        return (in, rng) -> next.apply(apply(in, rng), rng);
    }
}
