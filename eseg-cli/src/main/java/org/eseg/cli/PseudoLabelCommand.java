package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eseg.data.io.PixelLimit;
import org.eseg.data.folder.PseudoLabelFolder;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.PseudoLabeler;
import org.eseg.infer.Segmenter;
import org.eseg.util.OutputFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg pseudo-label}: a teacher labels unlabelled images for self-training. */
@Command(name = "pseudo-label",
        description = {
            "Label unlabelled images with a teacher checkpoint for self-training (paper: scales 0.5,1.0,2.0 and",
            "flip; pixels whose confidence is below the threshold become 255). Writes a folder dataset that",
            "'eseg train --pseudo-data DIR' reads: DIR/images/<stem>.<ext> (hard link or copy), DIR/masks/<stem>.png",
            "(8-bit labels), DIR/classes.txt (the teacher's classes) and DIR/summary.json (fraction kept, per class).",
            "A pixel whose confidence equals the threshold is kept. Unreadable images are named and skipped; the exit",
            "code is then 1. summary.json is written last: a folder without it is incomplete, and train refuses it.",
            "--out must be empty or new, unless --overwrite.",
        },
        footer = {"", "Examples:",
            "  eseg pseudo-label --checkpoint runs/city --images data/cityscapes/leftImg8bit/train_extra --out pseudo --flip",
            "  eseg train --dataset cityscapes --data data/cityscapes --pseudo-data pseudo --out runs/student"})
final class PseudoLabelCommand implements Callable<Integer> {

    /** The paper's teacher scales. */
    static final List<Double> TEACHER_SCALES = List.of(0.5, 1.0, 2.0);

    @Spec
    CommandSpec spec;

    @Mixin
    SegmenterMixin model;

    @Option(names = "--images", required = true, paramLabel = "DIR",
            description = "Folder of unlabelled images (.png, .jpg, .jpeg; subfolders too; stems must be unique).")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder dataset.")
    Path out;

    @Option(names = "--overwrite",
            description = "Replace the pseudo-labels already in --out (only what an earlier pseudo-label wrote there).")
    boolean overwrite;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
            description = "Keep pixels whose confidence is at least P, 0..1 (default ${DEFAULT-VALUE}).")
    double threshold;

    @Mixin
    Json json;

    @Override
    public Integer call() throws IOException {
        InferenceOptions options = model.inference.get(TEACHER_SCALES);
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold must be in [0, 1], got " + threshold);
        }
        List<Path> existing = PseudoLabelFolder.entries(out);
        if (!existing.isEmpty() && !overwrite) {
            throw new IllegalArgumentException("--out " + out + " is not empty (" + existing.size() + " entries, e.g. "
                    + existing.get(0).getFileName() + "); choose a new folder, or --overwrite to replace the "
                    + "pseudo-labels of an earlier run there");
        }
        if (!existing.isEmpty() && !PseudoLabelFolder.isLabellerOutput(out)) {
            throw new IllegalArgumentException("--out " + out + " holds files that pseudo-label did not write (no "
                    + PseudoLabelFolder.SUMMARY_FILE + " nor its classes.txt); --overwrite replaces only earlier "
                    + "pseudo-labels, so choose a new folder");
        }
        OutputFolders.checkWritable(out);
        List<Path> files = PseudoLabeler.listImages(images);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PixelLimit.Restore pixelLimit = model.pixels.apply(); Segmenter teacher = model.open()) {
            if (!existing.isEmpty()) {
                int removed = PseudoLabelFolder.removeOutput(out);
                err.println("eseg pseudo-label: removed " + removed + " files of the earlier pseudo-labels in " + out);
            }
            PseudoLabeler labeler = new PseudoLabeler(teacher, options, threshold, out);
            PseudoLabeler.Summary s;
            try (ProgressBars.Bar bar = ProgressBars.start("pseudo-label", files.size(), err)) {
                s = labeler.run(files, bar::stepTo);
            }
            for (PredictionWriter.Failure f : s.failures()) {
                err.println("eseg pseudo-label: cannot process " + f.file() + ": " + f.message());
            }
            stdout.printf(Locale.ROOT, "labelled %d of %d images (%s, threshold %s): kept %s of %d pixels%n",
                    s.images(), files.size(), InferenceOptionsMixin.describe(options), threshold,
                    percent(s.fractionKept()), s.pixels());
            stdout.printf(Locale.ROOT, "%-24s %12s %8s%n", "class (predicted)", "pixels", "kept");
            for (PseudoLabeler.ClassCount c : s.classes()) {
                stdout.printf(Locale.ROOT, "%-24s %12d %8s%n", c.name(), c.pixels(), percent(c.fractionKept()));
            }
            stdout.println("wrote " + out + " (images/, masks/, classes.txt, " + PseudoLabeler.SUMMARY_FILE + ")");
            if (json.wanted) {
                stdout.println(Json.line(labeler.summaryMap(s)));
            }
            stdout.flush();
            err.flush();
            return s.failures().isEmpty() ? 0 : 1;
        }
    }

    private static String percent(double f) {
        return Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }
}
