package org.eseg.data.stats;

import java.util.ArrayList;
import java.util.List;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.PairedDataset;

/**
 * Checks datasets before long work starts (the pass of {@link DatasetStats}: every pair listed, decoded and its
 * labels checked), so that a bad file fails at once, named with every other bad file, instead of hours later when a
 * loader reaches it.
 */
public final class DatasetValidator {

    private DatasetValidator() {}

    /** Bad files named in the error; the rest are counted. */
    public static final int NAMED = 10;

    /** Reports how far the check is. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Some pairs were checked.
         *
         * @param done pairs checked so far, over all datasets
         * @param total pairs to check
         */
        void checked(long done, long total);
    }

    /**
     * Every problem of the datasets: listing problems (open them with {@code skipBad} to collect these rather than
     * fail on the first) and pairs that do not load.
     *
     * @param datasets the datasets
     * @param threads decoding threads
     * @param progress progress reports (may be null)
     * @return the problems, dataset by dataset
     */
    public static List<DataProblem> problems(List<PairedDataset> datasets, int threads, Progress progress) {
        long total = datasets.stream().mapToLong(PairedDataset::size).sum();
        List<DataProblem> problems = new ArrayList<>();
        long offset = 0;
        for (PairedDataset ds : datasets) {
            long before = offset;
            problems.addAll(DatasetStats.compute(ds, threads,
                    progress == null ? null : done -> progress.checked(before + done, total)).problems());
            offset += ds.size();
        }
        return problems;
    }

    /**
     * Fails when the datasets have any problem.
     *
     * @param datasets the datasets
     * @param threads decoding threads
     * @param progress progress reports (may be null)
     * @throws DataException naming the first {@value #NAMED} bad files and counting the others
     */
    public static void requireValid(List<PairedDataset> datasets, int threads, Progress progress) {
        List<DataProblem> problems = problems(datasets, threads, progress);
        if (!problems.isEmpty()) {
            DataProblem first = problems.get(0);
            String what = problems.size() == 1 ? "1 bad file" : problems.size() + " bad files";
            throw new DataException(problems.size() == 1 ? first.file() : null, what + " in the data: "
                    + (problems.size() == 1 ? first.message() : DataProblem.describe(problems, NAMED)));
        }
    }
}
