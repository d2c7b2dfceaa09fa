package org.eseg.cli;

import org.eseg.util.ImageSize;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.eseg.data.loader.LoaderBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg dataset bench}: images per second of load + augment with different worker counts. */
@Command(name = "bench",
        description = "Write synthetic images to a temporary folder, then load and augment them "
                + "(scale 0.5-2, crop, flip, photometric, normalise) and print images per second per worker count.")
final class DatasetBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--size", defaultValue = "1024x2048", converter = ImageSizeConverter.class, description = "Source image size HxW (default ${DEFAULT-VALUE}).")
    ImageSize size;

    @Option(names = "--crop", defaultValue = "512x1024", converter = ImageSizeConverter.class, description = "Crop size HxW (default ${DEFAULT-VALUE}).")
    ImageSize crop;

    @Option(names = "--workers", defaultValue = "1,2", split = ",", description = "Worker counts (default ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--images", defaultValue = "8", description = "Distinct images written (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--samples", defaultValue = "32", description = "Samples loaded per worker count (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--batch", defaultValue = "2", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        ImageSize s = size;
        ImageSize c = crop;
        PrintWriter out = spec.commandLine().getOut();
        out.printf("generating %d images of %dx%d, then loading %d samples as %dx%d crops (batch %d)%n", images,
                s.height(), s.width(), samples, c.height(), c.width(), batch);
        out.flush();
        List<LoaderBenchmark.Result> results = LoaderBenchmark.run(new LoaderBenchmark.Options(s.height(), s.width(),
                c.height(), c.width(), images, samples, batch, workers));
        for (LoaderBenchmark.Result r : results) {
            out.printf("workers %d: %d samples in %.2f s = %.2f images/s%n", r.workers(), r.samples(), r.seconds(),
                    r.imagesPerSecond());
        }
        return 0;
    }
}
