package org.eseg.data.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.LabeledImage;
import org.eseg.data.PairedDataset;
import org.eseg.data.Sample;

/**
 * Checks every pair of a dataset in one pass and counts what it holds: sizes, pixels per class, ignore pixels,
 * and every problem (listing problems and pairs that fail to load), instead of stopping at the first one.
 */
public final class DatasetStats {

    private DatasetStats() {}

    private record One(String size, long[] counts, DataProblem problem, List<String> notes) {}

    /**
     * Computes the report. Open the dataset with {@code skipBad} so that listing problems are collected too.
     *
     * @param ds the dataset
     * @param threads decoding threads (the result does not depend on them)
     * @return the report
     */
    public static DatasetReport compute(PairedDataset ds, int threads) {
        return compute(ds, threads, null);
    }

    /**
     * Computes the report, telling how many pairs have been checked as it goes.
     *
     * @param ds the dataset
     * @param threads decoding threads (the result does not depend on them)
     * @param progress called on the calling thread with the count of pairs checked so far (may be null)
     * @return the report
     */
    public static DatasetReport compute(PairedDataset ds, int threads, IntConsumer progress) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "eseg-stats");
            t.setDaemon(true);
            return t;
        });
        List<Future<One>> parts = new ArrayList<>();
        try {
            for (int i = 0; i < ds.size(); i++) {
                int index = i;
                parts.add(pool.submit(() -> check(ds, index)));
            }
            ClassInfo classes = ds.classes();
            long[] total = new long[256];
            Map<String, Integer> sizes = new TreeMap<>();
            List<DataProblem> problems = new ArrayList<>(ds.skipped());
            List<String> notes = new ArrayList<>();
            int usable = 0;
            int done = 0;
            for (Future<One> f : parts) {
                One o = f.get();
                if (progress != null) {
                    progress.accept(++done);
                }
                notes.addAll(o.notes);
                if (o.problem != null) {
                    problems.add(o.problem);
                    continue;
                }
                usable++;
                sizes.merge(o.size, 1, Integer::sum);
                for (int c = 0; c < 256; c++) {
                    total[c] += o.counts[c];
                }
            }
            Map<String, Long> perClass = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                perClass.put(classes.name(c), total[c]);
            }
            Map<String, Integer> bySize = new LinkedHashMap<>();
            sizes.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> bySize.put(e.getKey(), e.getValue()));
            int images = ds.size() + (int) ds.skipped().stream()
                    .filter(p -> p.message().startsWith("image without a mask")).count();
            return new DatasetReport(ds.name(), images, usable, bySize, perClass, total[ClassInfo.IGNORE],
                    problems, notes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("checking the dataset failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static One check(PairedDataset ds, int index) {
        Sample s = ds.samples().get(index);
        List<String> notes = new ArrayList<>();
        try {
            LabeledImage li = ds.load(index, n -> notes.add(s.image() + ": " + n));
            long[] counts = new long[256];
            for (byte b : li.mask().labels()) {
                counts[b & 0xFF]++;
            }
            return new One(li.image().height() + "x" + li.image().width(), counts, null, notes);
        } catch (DataException e) {
            return new One(null, null, DataProblem.of(e, s.image()), notes);
        }
    }
}
