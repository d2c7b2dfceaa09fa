package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.Segmenter;
import org.eseg.util.OutputFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eseg predict}: label PNGs, colour masks and overlays for image files and folders. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Segment images. For each input writes <stem>_labels.png (class indices), <stem>_color.png",
            "(the dataset's palette; Cityscapes' standard colours for Cityscapes classes) and, with --overlay,",
            "<stem>_overlay.png. Unreadable images are named and skipped; the exit code is then 1.",
        },
        footer = {"", "Examples:",
            "  eseg predict --checkpoint runs/city street.png --out preds --overlay",
            "  eseg predict --checkpoint runs/city/latest.eseg photos/ --out preds --alpha 0.6",
            "  eseg predict --checkpoint runs/city street.png --out preds --scales 0.5,1.0,2.0 --flip"})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "Model file, checkpoint, or run folder (its latest checkpoint, EMA weights).")
    Path checkpoint;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders of images.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--overlay", description = "Also write the colour mask blended over the photo.")
    boolean overlay;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.5",
            description = "Mask weight in the overlay, 0..1 (default ${DEFAULT-VALUE}).")
    double alpha;

    @Mixin
    RuntimeMixin engine;

    @Mixin
    InferenceOptionsMixin inference;

    @Override
    public Integer call() throws IOException {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
        }
        InferenceOptions options = inference.get(List.of(1.0));
        OutputFolders.checkWritable(out);
        List<Path> files = PredictionWriter.expand(inputs);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Segmenter segmenter = engine.open(checkpoint)) {
            PredictionWriter writer = new PredictionWriter(segmenter, options, out, overlay ? alpha : null);
            PredictionWriter.Report r;
            try (ProgressBars.Bar bar = ProgressBars.start("predict", files.size(), err)) {
                r = writer.write(files, bar::stepTo);
            }
            for (PredictionWriter.Failure f : r.failures()) {
                err.println("eseg predict: cannot process " + f.file() + ": " + f.message());
            }
            stdout.printf(Locale.ROOT, "wrote predictions for %d of %d images to %s%n", r.written(), files.size(), out);
            stdout.flush();
            err.flush();
            return r.failures().isEmpty() ? 0 : 1;
        }
    }
}
