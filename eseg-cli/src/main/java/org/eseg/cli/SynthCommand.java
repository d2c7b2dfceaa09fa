package org.eseg.cli;

import org.eseg.util.ImageSize;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eseg synth}: writes the synthetic street-scene dataset in the Cityscapes layout. */
@Command(name = "synth",
        description = "Write a synthetic street-scene dataset in the Cityscapes layout (labelIds masks).")
final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output dataset root.")
    Path out;

    @Option(names = "--train", defaultValue = "300", description = "Training images (default ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--val", defaultValue = "60", description = "Validation images (default ${DEFAULT-VALUE}).")
    int val;

    @Option(names = "--size", defaultValue = "256x512", converter = ImageSizeConverter.class, description = "Image size HxW (default ${DEFAULT-VALUE}).")
    ImageSize size;

    @Option(names = "--seed", defaultValue = "0", description = "Seed; the same seed gives identical files.")
    long seed;

    @Option(names = "--threads", description = "Generator threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        SynthOptions.Builder b = SynthOptions.builder().size(size.height(), size.width()).train(train).val(val).seed(seed);
        if (threads != null) {
            b.threads(threads);
        }
        SynthOptions options = b.build();
        long t0 = System.nanoTime();
        SynthGenerator.Summary s = SynthGenerator.generate(out, options);
        spec.commandLine().getOut().printf("wrote %d train + %d val images (%dx%d) to %s in %.1f s; classes: %s%n",
                s.train(), s.val(), s.height(), s.width(), s.root(), (System.nanoTime() - t0) / 1e9,
                String.join(", ", SynthGenerator.classNames()));
        return 0;
    }
}
