package org.eseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eseg.data.Dataset;
import org.eseg.data.PairedDataset;
import org.eseg.data.folder.PseudoLabelFolder;
import org.eseg.data.stats.DatasetValidator;

/**
 * Checks every file a run will read (training split, validation split, pseudo-labels) before the run starts, so
 * that a bad file fails before step 1 and before the run folder exists, instead of when the loader reaches it.
 */
public final class TrainingDataCheck {

    private TrainingDataCheck() {}

    /**
     * Checks the run's data.
     *
     * @param o the run's options
     * @param threads decoding threads
     * @param progress progress reports (may be null)
     * @throws org.eseg.data.DataException naming the bad files (the first {@value DatasetValidator#NAMED}, and
     *     how many more)
     */
    public static void run(TrainOptions o, int threads, DatasetValidator.Progress progress) {
        Path root = Path.of(o.data());
        if (!Files.isDirectory(root)) {
            return; // the trainer names a missing data folder as a bad argument
        }
        Path classesFile = o.classesFile() == null ? null : Path.of(o.classesFile());
        List<PairedDataset> sources = new ArrayList<>();
        sources.add(o.dataset().open(root, o.trainSplit(), classesFile, true));
        Dataset validation = TrainingData.openValidation(o, root, classesFile);
        if (validation instanceof PairedDataset v) {
            sources.add(v);
        }
        if (o.pseudoData() != null) {
            sources.add(PseudoLabelFolder.open(Path.of(o.pseudoData()), true));
        }
        DatasetValidator.requireValid(sources, threads, progress);
    }
}
