package org.eseg.serve;

import java.util.regex.Pattern;
import org.eseg.infer.Segmenter;

/**
 * A model the server answers for, loaded once at start; requests name it and never a file.
 *
 * @param name the name in {@code /predictions/{name}}: letters, digits, dot, dash and underscore
 * @param segmenter the loaded model (the caller closes it after the server stopped)
 */
public record ServedModel(String name, Segmenter segmenter) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checks the name. */
    public ServedModel {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a model name is 1 to 64 letters, digits, '.', '-' or '_', got '"
                    + name + "'");
        }
    }

    /**
     * Whether a name is a valid model name.
     *
     * @param name a name
     * @return true when valid
     */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
