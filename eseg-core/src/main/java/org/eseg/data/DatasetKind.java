package org.eseg.data;

import java.nio.file.Path;
import org.eseg.data.ade20k.Ade20kDataset;
import org.eseg.data.cityscapes.CityscapesDataset;
import org.eseg.data.folder.FolderDataset;

/** The dataset layouts eseg reads. */
public enum DatasetKind {
    /** {@link CityscapesDataset}. */
    CITYSCAPES,
    /** {@link Ade20kDataset}. */
    ADE20K,
    /** {@link FolderDataset}. */
    FOLDER;

    /**
     * The validation split this layout usually has: {@code val} (Cityscapes, folder) or {@code validation}
     * (ADE20K).
     *
     * @return the split name
     */
    public String validationSplit() {
        return this == ADE20K ? "validation" : "val";
    }

    /**
     * Opens a dataset of this layout.
     *
     * @param root the dataset root
     * @param split the split, or null for the layout's default (train / training / no split)
     * @param classesFile the class list for {@link #FOLDER} (null: {@code root/classes.txt}); must be null otherwise
     * @param skipBad leave out pairs with listing problems instead of failing
     * @return the dataset
     */
    public PairedDataset open(Path root, String split, Path classesFile, boolean skipBad) {
        if (classesFile != null && this != FOLDER) {
            throw new IllegalArgumentException("a class list file applies only to the folder layout, not " + this);
        }
        return switch (this) {
            case CITYSCAPES -> {
                CityscapesDataset.Builder b = CityscapesDataset.builder(root).skipBad(skipBad);
                yield (split == null ? b : b.split(split)).build();
            }
            case ADE20K -> {
                Ade20kDataset.Builder b = Ade20kDataset.builder(root).skipBad(skipBad);
                yield (split == null ? b : b.split(split)).build();
            }
            case FOLDER -> FolderDataset.builder(root).split(split).classesFile(classesFile).skipBad(skipBad).build();
        };
    }
}
