package org.eseg.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.folder.PseudoLabelFolder;
import org.eseg.data.loader.DataLoader;
import org.eseg.data.loader.LoaderState;
import org.eseg.data.transform.Augmentation;

/**
 * The datasets and loader of a training run, opened from its options.
 *
 * @param train the training set
 * @param validation the validation set, or null when there is none
 * @param pseudo the second labelled source, or null
 * @param loader batches of augmented crops
 */
record TrainingData(Dataset train, Dataset validation, Dataset pseudo, DataLoader loader) implements AutoCloseable {

    static TrainingData open(TrainOptions o, LoaderState start) {
        Path root = Path.of(o.data()); // a folder: StartChecks made sure before the run folder was made
        Path classesFile = o.classesFile() == null ? null : Path.of(o.classesFile());
        Dataset train = o.dataset().open(root, o.trainSplit(), classesFile, o.skipBad());
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training images found in " + root + " (" + train.name() + ")");
        }
        Dataset validation = openValidation(o, root, classesFile);
        Dataset pseudo = null;
        if (o.pseudoData() != null) {
            pseudo = PseudoLabelFolder.open(Path.of(o.pseudoData()), o.skipBad());
            checkSameClasses(train.classes(), pseudo.classes(), "the pseudo-labelled data " + o.pseudoData());
        }
        Augmentation aug = Augmentation.builder()
                .scale(o.scaleMin(), o.scaleMax())
                .longSide(o.longSide())
                .crop(o.cropHeight(), o.cropWidth())
                .catMaxRatio(0.75)
                .flip(o.flip() ? 0.5 : 0)
                .photometric(o.photometric())
                .build();
        DataLoader.Builder b = DataLoader.builder(train)
                .batchSize(o.batch())
                .transform(aug)
                .seed(o.seed())
                .workers(o.workers())
                .skipBad(o.skipBad())
                .startAt(start);
        if (pseudo != null) {
            b.mix(pseudo, aug);
        }
        return new TrainingData(train, validation, pseudo, b.build());
    }

    static Dataset openValidation(TrainOptions o, Path root, Path classesFile) {
        String split = o.valSplit();
        if ("none".equalsIgnoreCase(split)) {
            return null;
        }
        boolean explicit = split != null;
        try {
            Dataset v = o.dataset().open(root, explicit ? split : o.dataset().validationSplit(), classesFile, o.skipBad());
            return v.size() == 0 && !explicit ? null : v;
        } catch (DataException | IllegalArgumentException e) {
            if (explicit) {
                throw e;
            }
            return null; // no usual validation split: train without validation
        }
    }

    private static void checkSameClasses(ClassInfo a, ClassInfo b, String what) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(what + " has " + b.size() + " classes, the training data " + a.size());
        }
    }

    /**
     * The pairs left out so far with skipBad: listing problems of the datasets and pairs the loader could not load.
     *
     * @return the problems
     */
    List<DataProblem> skipped() {
        List<DataProblem> all = new ArrayList<>(train.skipped());
        if (pseudo != null) {
            all.addAll(pseudo.skipped());
        }
        all.addAll(loader.skippedProblems());
        return all;
    }

    @Override
    public void close() {
        loader.close();
    }
}
