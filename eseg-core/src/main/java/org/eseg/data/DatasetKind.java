package org.eseg.data;

import java.nio.file.Path;
import java.util.Locale;
import org.eseg.data.ade20k.Ade20kDataset;
import org.eseg.data.cityscapes.CityscapesDataset;
import org.eseg.data.folder.FolderDataset;
import org.eseg.data.mapillary.MapillaryDataset;

/** The dataset layouts eseg reads. */
public enum DatasetKind {
    /** {@link CityscapesDataset}. */
    CITYSCAPES,
    /** {@link Ade20kDataset}. */
    ADE20K,
    /** {@link MapillaryDataset}, release v1.2 (65 classes). */
    MAPILLARY,
    /** {@link MapillaryDataset}, release v2.0 (123 classes). */
    MAPILLARY_V2,
    /** {@link FolderDataset}. */
    FOLDER;

    /**
     * The layouts as written on the command line and in option files, a constant so that annotations (help text)
     * can use it; {@link #choices()} derives the same text from the constants, and a test holds them equal.
     */
    public static final String CHOICES = "cityscapes, ade20k, mapillary, mapillary_v2 or folder";

    /**
     * The layouts as they are written on the command line and in option files, from the enum's constants.
     *
     * @return "cityscapes, ade20k, ... or folder"
     */
    public static String choices() {
        StringBuilder b = new StringBuilder();
        DatasetKind[] all = values();
        for (int i = 0; i < all.length; i++) {
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ")
                    .append(all[i].name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    /**
     * The validation split this layout usually has: {@code val} (Cityscapes, folder) or {@code validation}
     * (ADE20K, Mapillary Vistas).
     *
     * @return the split name
     */
    public String validationSplit() {
        return this == CITYSCAPES || this == FOLDER ? "val" : "validation";
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
            case MAPILLARY, MAPILLARY_V2 -> {
                MapillaryDataset.Builder b = MapillaryDataset.builder(root).skipBad(skipBad)
                        .version(this == MAPILLARY ? MapillaryDataset.V1_2 : MapillaryDataset.V2_0);
                yield (split == null ? b : b.split(split)).build();
            }
            case FOLDER -> FolderDataset.builder(root).split(split).classesFile(classesFile).skipBad(skipBad).build();
        };
    }
}
