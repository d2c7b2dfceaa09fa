package org.eseg.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One problem found in a dataset.
 *
 * @param file the file to blame
 * @param message what is wrong (without the file name)
 */
public record DataProblem(Path file, String message) {

    /** Validates the fields. */
    public DataProblem {
        Objects.requireNonNull(message, "message");
    }

    /**
     * Builds a problem from an exception.
     *
     * @param e the exception
     * @param fallback the file to blame when the exception names none
     * @return the problem
     */
    public static DataProblem of(DataException e, Path fallback) {
        Path f = e.file() != null ? e.file() : fallback;
        String msg = e.getMessage();
        String prefix = f + ": ";
        if (msg != null && msg.startsWith(prefix)) {
            msg = msg.substring(prefix.length());
        }
        return new DataProblem(f, msg == null ? e.toString() : msg);
    }

    /**
     * Names the first problems of a list and counts the rest, on one line:
     * {@code a.png: not a PNG; b.png: label 9 ... (and 3 more problems)}.
     *
     * @param problems the problems (at least one)
     * @param shown how many to name
     * @return the text
     */
    public static String describe(List<DataProblem> problems, int shown) {
        int n = Math.min(Math.max(1, shown), problems.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "; ").append(problems.get(i));
        }
        return sb.append(more(problems.size() - n)).toString();
    }

    /**
     * The tail that counts problems not named: empty, {@code " (and 1 more problem)"} or
     * {@code " (and N more problems)"}.
     *
     * @param notNamed problems left out
     * @return the text
     */
    public static String more(int notNamed) {
        return notNamed <= 0 ? "" : " (and " + notNamed + " more problem" + (notNamed == 1 ? "" : "s") + ")";
    }

    @Override
    public String toString() {
        return file + ": " + message;
    }
}
