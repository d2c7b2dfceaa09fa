package org.eseg.data.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eseg.data.PairedDataset;
import org.eseg.data.cityscapes.CityscapesDataset;
import org.eseg.data.synth.SynthGenerator;
import org.eseg.data.synth.SynthOptions;
import org.eseg.data.transform.Augmentation;
import org.eseg.util.OutputFolders;

/**
 * Measures the input pipeline: writes synthetic full-size images to a temporary folder, then loads and augments them
 * (the paper's recipe: scale [0.5, 2], crop, flip, photometric distortion, normalisation) with different worker
 * counts. Prints nothing itself; the caller reports the figures.
 */
public final class LoaderBenchmark {

    private LoaderBenchmark() {}

    /**
     * Benchmark settings.
     *
     * @param height source image rows
     * @param width source image columns
     * @param cropHeight crop rows
     * @param cropWidth crop columns
     * @param images distinct images written
     * @param samples samples loaded per worker count (after a warm-up of up to 16 samples)
     * @param batchSize samples per batch
     * @param workers the worker counts to try
     */
    public record Options(int height, int width, int cropHeight, int cropWidth, int images, int samples,
            int batchSize, List<Integer> workers) {

        /** Validates the settings. */
        public Options {
            if (height < 32 || width < 32 || cropHeight < 1 || cropWidth < 1) {
                throw new IllegalArgumentException("bad sizes: image " + height + "x" + width + ", crop "
                        + cropHeight + "x" + cropWidth);
            }
            if (images < 1 || samples < 1 || batchSize < 1 || workers.isEmpty()) {
                throw new IllegalArgumentException("images, samples, batch size and workers must be positive");
            }
            workers = List.copyOf(workers);
        }
    }

    /**
     * One measurement.
     *
     * @param workers the worker count
     * @param samples samples loaded
     * @param seconds wall time
     */
    public record Result(int workers, int samples, double seconds) {
        /**
         * Returns the throughput.
         *
         * @return images per second
         */
        public double imagesPerSecond() {
            return samples / seconds;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param o the settings
     * @return one result per worker count
     * @throws IOException if the temporary images cannot be written
     */
    public static List<Result> run(Options o) throws IOException {
        Path dir = Files.createTempDirectory("eseg-bench");
        try {
            SynthGenerator.generate(dir, SynthOptions.builder().size(o.height(), o.width()).train(o.images()).val(0)
                    .seed(1).build());
            PairedDataset ds = CityscapesDataset.builder(dir).split("train").build();
            Augmentation aug = Augmentation.paper(o.cropHeight(), o.cropWidth());
            int batch = Math.min(o.batchSize(), ds.size());
            List<Result> out = new ArrayList<>();
            for (int w : o.workers()) {
                try (DataLoader loader = DataLoader.builder(ds).batchSize(batch).transform(aug).workers(w).seed(7)
                        .build()) {
                    int warm = 0;
                    while (warm < Math.min(o.samples(), 16)) { // warm-up: JIT and first decodes
                        warm += loader.next().size();
                    }
                    int loaded = 0;
                    long t0 = System.nanoTime();
                    while (loaded < o.samples()) {
                        loaded += loader.next().size();
                    }
                    out.add(new Result(w, loaded, (System.nanoTime() - t0) / 1e9));
                }
            }
            return out;
        } finally {
            OutputFolders.deleteTree(dir);
        }
    }
}
