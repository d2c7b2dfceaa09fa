package org.eseg.data.loader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.eseg.util.Seeds;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.LabeledImage;
import org.eseg.data.transform.Normalization;
import org.eseg.data.transform.Transform;

/**
 * Loads, augments and batches samples on background threads, endlessly, epoch after epoch.
 *
 * <p>Determinism: epoch e visits the samples in {@code permutation(seed, e)}; the sample at position p of epoch e
 * is augmented with a generator seeded from (seed, e, p). Batches are assembled by position, so the output
 * depends only on the seed and the settings, not on the number of workers or thread scheduling. {@link #state()}
 * gives the position of the next batch; a loader built with {@link Builder#startAt} continues from there.
 *
 * <p>Mixing: with {@link Builder#mix}, each batch of N holds {@code N - N/2} samples of the primary dataset followed
 * by {@code N/2} of a second source (e.g. pseudo-labelled images for self-training). The second source runs through
 * its own permutations, indexed by the global batch number, so it needs no state of its own.
 *
 * <p>Bad data: by default the first {@link DataException} is thrown from {@link #next()}. With
 * {@link Builder#skipBad} a sample that fails to load is replaced by the next one in the permutation, and the
 * problem is kept ({@link #skippedCount()}, {@link #skippedProblems()}).
 */
public final class DataLoader implements AutoCloseable {

    private static final long PRIMARY_ORDER = 11;
    private static final long PRIMARY_AUG = 12;
    private static final long SECOND_ORDER = 21;
    private static final long SECOND_AUG = 22;

    private final Source primary;
    private final Source second;
    private final int batchSize;
    private final int perBatch;
    private final int secondPerBatch;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;
    private final boolean skipBad;
    private final int prefetch;
    private final ExecutorService pool;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    // Guarded by itself. Not a ConcurrentSkipListMap: its size() can lag an entry another worker just linked.
    private final Map<String, DataProblem> bad = new TreeMap<>();
    private LoaderState state;
    private LoaderState scheduled;
    private long cachedEpoch = -1;
    private int[] cachedPerm;
    private long cachedEpoch2 = -1;
    private int[] cachedPerm2;

    private record Source(Dataset dataset, Transform transform, String tag) {}

    private record Pending(LoaderState next, Future<Batch> batch) {}

    private DataLoader(Builder b) {
        this.primary = new Source(b.dataset, b.transform, "primary");
        this.second = b.second == null ? null : new Source(b.second, b.secondTransform, "second");
        this.batchSize = b.batchSize;
        this.secondPerBatch = second == null ? 0 : batchSize / 2;
        this.perBatch = batchSize - secondPerBatch;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.skipBad = b.skipBad;
        this.prefetch = b.prefetch > 0 ? b.prefetch : 2 * Math.max(1, b.workers);
        int n = primary.dataset.size();
        if (dropLast && n < perBatch) {
            throw new IllegalArgumentException("the dataset " + primary.dataset.name() + " has " + n
                    + " samples, fewer than the " + perBatch + " a batch needs from it");
        }
        checkState(b.start);
        this.state = b.start;
        this.scheduled = b.start;
        if (b.workers > 0) {
            AtomicInteger count = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(b.workers, r -> {
                Thread t = new Thread(r, "eseg-loader-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    /**
     * Starts a builder.
     *
     * @param dataset the primary dataset
     * @return the builder
     */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /**
     * Returns the number of batches in one epoch.
     *
     * @return the count
     */
    public int batchesPerEpoch() {
        int n = primary.dataset.size();
        return dropLast ? n / perBatch : (n + perBatch - 1) / perBatch;
    }

    /**
     * Returns the position of the next batch {@link #next()} returns; save it with a checkpoint.
     *
     * @return the state
     */
    public LoaderState state() {
        return state;
    }

    /**
     * Returns how many distinct samples failed to load and were replaced (with skipBad).
     *
     * @return the count
     */
    public int skippedCount() {
        synchronized (bad) {
            return bad.size();
        }
    }

    /**
     * Returns the problems of the samples that were replaced, sorted by source and sample.
     *
     * @return the problems
     */
    public List<DataProblem> skippedProblems() {
        synchronized (bad) {
            return List.copyOf(bad.values());
        }
    }

    /**
     * Returns the next batch, loading ahead in the background.
     *
     * @return the batch
     * @throws DataException if a sample cannot be loaded (and skipBad is off)
     */
    public Batch next() {
        while (queue.size() < prefetch) {
            schedule();
        }
        Pending p = queue.poll();
        try {
            Batch b = p.batch.get();
            state = p.next;
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a batch", e);
        } catch (ExecutionException e) {
            // Keep the loader usable at the failed position: drop what was loaded ahead.
            cancelPending();
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("loading a batch failed: " + c, c);
        }
    }

    /**
     * Moves to a saved position, dropping batches loaded ahead.
     *
     * @param position the position to continue from
     */
    public void seek(LoaderState position) {
        checkState(position);
        cancelPending();
        state = position;
        scheduled = position;
    }

    @Override
    public void close() {
        cancelPending();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void cancelPending() {
        for (Pending p : queue) {
            p.batch.cancel(true);
        }
        queue.clear();
        scheduled = state;
    }

    private void checkState(LoaderState s) {
        Objects.requireNonNull(s, "state");
        int n = primary.dataset.size();
        if (s.cursor() >= n || s.cursor() % perBatch != 0) {
            throw new IllegalArgumentException("loader state " + s + " does not fit a dataset of " + n
                    + " samples with " + perBatch + " per batch (the cursor must be a multiple below " + n + ")");
        }
    }

    private void schedule() {
        LoaderState s = scheduled;
        int n = primary.dataset.size();
        int count = Math.min(perBatch, n - s.cursor());
        int[] perm = primaryPermutation(s.epoch());
        int[] order = new int[count];
        long[] seeds = new long[count];
        for (int j = 0; j < count; j++) {
            order[j] = s.cursor() + j;
            seeds[j] = Seeds.mix(seed, PRIMARY_AUG, s.epoch(), s.cursor() + j);
        }
        List<Callable<LabeledImage>> loads = new ArrayList<>(count + secondPerBatch);
        for (int j = 0; j < count; j++) {
            loads.add(loadTask(primary, perm, order[j], seeds[j]));
        }
        if (second != null) {
            long g = s.epoch() * batchesPerEpoch() + s.cursor() / perBatch;
            int n2 = second.dataset.size();
            for (int j = 0; j < secondPerBatch; j++) {
                long c = g * secondPerBatch + j;
                int[] perm2 = secondPermutation(c / n2);
                loads.add(loadTask(second, perm2, (int) (c % n2), Seeds.mix(seed, SECOND_AUG, c)));
            }
        }
        int pseudo = second == null ? 0 : secondPerBatch;
        Callable<Batch> job = () -> assemble(loads, pseudo, s);
        Future<Batch> f;
        if (pool == null) {
            FutureTask<Batch> t = new FutureTask<>(job);
            t.run();
            f = t;
        } else {
            f = pool.submit(job);
        }
        int nextCursor = s.cursor() + count;
        boolean wrap = dropLast ? nextCursor + perBatch > n : nextCursor >= n;
        scheduled = wrap ? new LoaderState(s.epoch() + 1, 0) : new LoaderState(s.epoch(), nextCursor);
        queue.add(new Pending(scheduled, f));
    }

    private int[] primaryPermutation(long epoch) {
        if (epoch != cachedEpoch) {
            int n = primary.dataset.size();
            cachedPerm = shuffle ? Seeds.permutation(n, seed, PRIMARY_ORDER, epoch) : identity(n);
            cachedEpoch = epoch;
        }
        return cachedPerm;
    }

    private int[] secondPermutation(long epoch) {
        if (epoch != cachedEpoch2) {
            int n = second.dataset.size();
            cachedPerm2 = shuffle ? Seeds.permutation(n, seed, SECOND_ORDER, epoch) : identity(n);
            cachedEpoch2 = epoch;
        }
        return cachedPerm2;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Loads the sample at a permutation position; with skipBad, moves on to the following positions. */
    private Callable<LabeledImage> loadTask(Source src, int[] perm, int position, long sampleSeed) {
        return () -> {
            int n = perm.length;
            DataException first = null;
            for (int k = 0; k < n; k++) {
                int index = perm[(position + k) % n];
                try {
                    LabeledImage li = src.dataset.load(index);
                    return src.transform.apply(li, new SplittableRandom(sampleSeed));
                } catch (DataException e) {
                    if (!skipBad) {
                        throw e;
                    }
                    if (first == null) {
                        first = e;
                    }
                    DataProblem problem = DataProblem.of(e, src.dataset.samples().get(index).image());
                    synchronized (bad) {
                        bad.putIfAbsent(src.tag + ":" + String.format("%09d", index), problem);
                    }
                }
            }
            throw new DataException(null, "no sample of " + src.dataset.name() + " could be loaded; first error: "
                    + first.getMessage(), first);
        };
    }

    private Batch assemble(List<Callable<LabeledImage>> loads, int pseudo, LoaderState position) throws Exception {
        int n = loads.size();
        float[] images = null;
        byte[] labels = null;
        List<String> ids = new ArrayList<>(n);
        int h = 0;
        int w = 0;
        for (int j = 0; j < n; j++) {
            LabeledImage li = loads.get(j).call();
            if (j == 0) {
                h = li.image().height();
                w = li.image().width();
                images = new float[n * 3 * h * w];
                labels = new byte[n * h * w];
            } else if (li.image().height() != h || li.image().width() != w) {
                throw new IllegalStateException("samples " + ids.get(0) + " (" + h + "x" + w + ") and " + li.id()
                        + " (" + li.image().height() + "x" + li.image().width()
                        + ") differ in size; batches larger than 1 need a fixed crop size");
            }
            Normalization.normalizeInto(li.image(), images, j * 3 * h * w);
            System.arraycopy(li.mask().labels(), 0, labels, j * h * w, h * w);
            ids.add(li.id());
        }
        return new Batch(n, h, w, images, labels, List.copyOf(ids), pseudo, position);
    }

    /** Options of {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private Transform transform = Transform.identity();
        private Dataset second;
        private Transform secondTransform;
        private int batchSize = 1;
        private long seed;
        private int workers = 1;
        private int prefetch;
        private boolean shuffle = true;
        private boolean dropLast = true;
        private boolean skipBad;
        private LoaderState start = LoaderState.START;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /**
         * Samples per batch (default 1).
         *
         * @param n the batch size
         * @return this
         */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /**
         * The augmentation of the primary dataset (default none).
         *
         * @param t the transform
         * @return this
         */
        public Builder transform(Transform t) {
            this.transform = Objects.requireNonNull(t, "transform");
            return this;
        }

        /**
         * The seed of permutations and augmentation (default 0).
         *
         * @param seed the seed
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Background threads (default 1; 0 loads on the calling thread). Does not change the batches.
         *
         * @param n the count
         * @return this
         */
        public Builder workers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("workers must be 0 or more, got " + n);
            }
            this.workers = n;
            return this;
        }

        /**
         * Batches loaded ahead (default twice the workers).
         *
         * @param n the count
         * @return this
         */
        public Builder prefetch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("prefetch must be at least 1, got " + n);
            }
            this.prefetch = n;
            return this;
        }

        /**
         * Shuffle each epoch (default true); false visits samples in dataset order.
         *
         * @param on true to shuffle
         * @return this
         */
        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /**
         * Drop an epoch's last incomplete batch (default true); false makes it smaller instead.
         *
         * @param on true to drop
         * @return this
         */
        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /**
         * Replace samples that fail to load instead of failing (default false).
         *
         * @param on true to skip
         * @return this
         */
        public Builder skipBad(boolean on) {
            this.skipBad = on;
            return this;
        }

        /**
         * Mixes a second source into every batch: the last {@code batchSize / 2} samples come from it.
         *
         * @param other the second dataset (e.g. pseudo-labelled images)
         * @param otherTransform its augmentation
         * @return this
         */
        public Builder mix(Dataset other, Transform otherTransform) {
            this.second = Objects.requireNonNull(other, "other");
            this.secondTransform = Objects.requireNonNull(otherTransform, "otherTransform");
            return this;
        }

        /**
         * Continues from a saved position (default the start).
         *
         * @param state the position from {@link DataLoader#state()}
         * @return this
         */
        public Builder startAt(LoaderState state) {
            this.start = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * Builds the loader; close it to stop its threads.
         *
         * @return the loader
         */
        public DataLoader build() {
            if (second != null && batchSize < 2) {
                throw new IllegalArgumentException("mixing two sources needs a batch size of at least 2");
            }
            return new DataLoader(this);
        }
    }
}
