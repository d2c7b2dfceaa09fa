package org.eseg.data.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eseg.data.ClassInfo;
import org.eseg.data.cityscapes.CityscapesLabels;
import org.eseg.data.io.ImageFiles;
import org.eseg.util.Seeds;

/**
 * Writes a synthetic street-scene dataset in the Cityscapes layout:
 * {@code leftImg8bit/<split>/synth/synth_<nnnnnn>_000019_leftImg8bit.png} and
 * {@code gtFine/<split>/synth/synth_<nnnnnn>_000019_gtFine_labelIds.png}, splits {@code train} and {@code val}.
 * Classes: road, sidewalk, building, pole, traffic sign, vegetation, sky, person, car. Each image depends only on
 * (seed, split, index), so the output is byte-identical for a seed whatever the thread count.
 */
public final class SynthGenerator {

    private SynthGenerator() {}

    /** The city folder and file prefix. */
    public static final String CITY = "synth";

    /** Train ids of the classes the generator paints. */
    public static final int[] TRAIN_IDS = {
        CityscapesLabels.trainId(StreetScene.ROAD), CityscapesLabels.trainId(StreetScene.SIDEWALK),
        CityscapesLabels.trainId(StreetScene.BUILDING), CityscapesLabels.trainId(StreetScene.POLE),
        CityscapesLabels.trainId(StreetScene.SIGN), CityscapesLabels.trainId(StreetScene.VEGETATION),
        CityscapesLabels.trainId(StreetScene.SKY), CityscapesLabels.trainId(StreetScene.PERSON),
        CityscapesLabels.trainId(StreetScene.CAR),
    };

    /** What was written. */
    public record Summary(Path root, int train, int val, int height, int width) {}

    /**
     * Renders one scene in memory.
     *
     * @param height rows
     * @param width columns
     * @param seed the dataset seed
     * @param split the split ("train" or "val")
     * @param index the image index within the split
     * @return the image and Cityscapes label ids
     */
    public static SynthImage render(int height, int width, long seed, String split, int index) {
        return StreetScene.render(height, width, Seeds.mix(seed, split.hashCode(), index));
    }

    /**
     * Writes the dataset (existing files of the same names are replaced).
     *
     * @param out the dataset root
     * @param options the settings
     * @return what was written
     * @throws IOException if a file cannot be written
     */
    public static Summary generate(Path out, SynthOptions options) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "eseg-synth");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (String split : List.of("train", "val")) {
                int n = split.equals("train") ? options.train() : options.val();
                for (int i = 0; i < n; i++) {
                    int index = i;
                    jobs.add(pool.submit(() -> {
                        writeOne(out, options, split, index);
                        return null;
                    }));
                }
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("generating the synthetic dataset failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Summary(out, options.train(), options.val(), options.height(), options.width());
    }

    private static void writeOne(Path out, SynthOptions o, String split, int index) {
        SynthImage img = render(o.height(), o.width(), o.seed(), split, index);
        String stem = String.format("%s_%06d_000019", CITY, index);
        try {
            ImageFiles.writeRgbPng(out.resolve("leftImg8bit").resolve(split).resolve(CITY)
                    .resolve(stem + "_leftImg8bit.png"), img.height(), img.width(), img.rgb());
            ImageFiles.writeGrayPng(out.resolve("gtFine").resolve(split).resolve(CITY)
                    .resolve(stem + "_gtFine_labelIds.png"), img.height(), img.width(), img.labelIds());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The classes present in the synthetic data (a subset of Cityscapes').
     *
     * @return the class names
     */
    public static List<String> classNames() {
        ClassInfo info = CityscapesLabels.info();
        List<String> names = new ArrayList<>();
        for (int id : TRAIN_IDS) {
            names.add(info.name(id));
        }
        return names;
    }
}
