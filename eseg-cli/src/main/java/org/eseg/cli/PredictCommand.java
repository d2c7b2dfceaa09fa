package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eseg.data.io.PixelLimit;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.Segmenter;
import org.eseg.util.CreatedFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eseg predict}: label PNGs, colour masks and overlays for image files and folders. */
@Command(name = "predict",
        description = {
            "Segment images. For each input writes <name>_labels.png (class indices), <name>_color.png",
            "(the dataset's palette; Cityscapes' standard colours for Cityscapes classes) and, with --overlay,",
            "<name>_overlay.png. Folders are searched recursively and their subfolders mirrored under --out",
            "(IN/x/a.png gives OUT/x/a_labels.png; inputs from different folders keep those folders, relative to",
            "the deepest folder holding them all). <name> is the file name without its extension, or with it when",
            "another input in the same folder has the same stem (a.png and a.jpg give a.png_labels.png and",
            "a.jpg_labels.png), so no output is written over another. Unreadable images and images above",
            "--max-pixels are named and skipped; the exit code is then 1.",
        },
        footer = {"", "Examples:",
            "  eseg predict --checkpoint runs/city street.png --out preds --overlay",
            "  eseg predict --checkpoint runs/city/latest.eseg photos/ --out preds --alpha 0.6",
            "  eseg predict --checkpoint runs/city data/cityscapes/leftImg8bit/val --out preds/val",
            "  eseg predict --checkpoint runs/city street.png --out preds --scales 0.5,1.0,2.0 --flip"})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SegmenterMixin model;

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Image files, or folders of images (.png, .jpg, .jpeg, .bmp, .gif; subfolders too).")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--overlay", description = "Also write the colour mask blended over the photo.")
    boolean overlay;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.5",
            description = "Mask weight in the overlay, 0..1 (default ${DEFAULT-VALUE}).")
    double alpha;

    @Override
    @SuppressWarnings("try") // the resources' work is their closing
    public Integer call() throws IOException {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
        }
        InferenceOptions options = model.inference.get(List.of(1.0));
        try (PixelLimit.Restore pixelLimit = model.pixels.apply(); CreatedFolders created = CreatedFolders.forOutput(out)) {
            List<PredictionWriter.Input> images = PredictionWriter.plan(inputs, out);
            return predict(images, options);
        }
    }

    private int predict(List<PredictionWriter.Input> images, InferenceOptions options) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Segmenter segmenter = model.open()) {
            PredictionWriter writer = new PredictionWriter(segmenter, options, out, overlay ? alpha : null);
            PredictionWriter.Report r;
            try (ProgressBars.Bar bar = ProgressBars.start("predict", images.size(), err)) {
                r = writer.run(images, bar::stepTo);
            }
            for (PredictionWriter.Failure f : r.failures()) {
                err.println("eseg predict: cannot process " + f.file() + ": " + f.message());
            }
            stdout.printf(Locale.ROOT, "wrote predictions for %d of %d images to %s%n", r.written(), images.size(),
                    out);
            stdout.flush();
            err.flush();
            return r.failures().isEmpty() ? 0 : 1;
        }
    }
}
