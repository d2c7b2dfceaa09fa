package org.eseg.model.io;

import java.util.List;

/**
 * The class names and palette a model was trained on, as a model file stores them next to its weights.
 *
 * @param names one name per output channel
 * @param colors one packed 0xRRGGBB colour per class
 */
public record StoredClasses(List<String> names, int[] colors) {

    /** Copies the lists and checks that they agree. */
    public StoredClasses {
        names = List.copyOf(names);
        colors = colors.clone();
        if (colors.length != names.size()) {
            throw new IllegalArgumentException(
                    names.size() + " class names but " + colors.length + " colours");
        }
    }
}
