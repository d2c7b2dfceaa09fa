package org.eseg.data.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.DataProblem;
import org.eseg.data.Dataset;
import org.eseg.data.LabelMap;
import org.eseg.data.LabeledImage;
import org.eseg.data.RgbImage;
import org.eseg.data.Sample;

/** A dataset computed in memory: sample i is filled with value i (image) and label i % classes. */
final class MemoryDataset implements Dataset {

    private final String prefix;
    private final int size;
    private final int h;
    private final int w;
    private final Set<Integer> bad;
    final AtomicInteger loads = new AtomicInteger();

    MemoryDataset(String prefix, int size, int h, int w, Set<Integer> bad) {
        this.prefix = prefix;
        this.size = size;
        this.h = h;
        this.w = w;
        this.bad = bad;
    }

    @Override
    public String name() {
        return "memory:" + prefix;
    }

    @Override
    public ClassInfo classes() {
        return new ClassInfo(List.of("a", "b", "c"), new int[] {1, 2, 3});
    }

    @Override
    public List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            s.add(new Sample(prefix + i, Path.of(prefix + i + ".png"), Path.of(prefix + i + "_mask.png")));
        }
        return s;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public List<DataProblem> skipped() {
        return List.of();
    }

    @Override
    public LabeledImage load(int index) {
        loads.incrementAndGet();
        if (bad.contains(index)) {
            throw new DataException(Path.of(prefix + index + ".png"), "damaged image");
        }
        RgbImage img = RgbImage.zeros(h, w);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = (index * 7 + i % 251) % 256;
        }
        byte[] l = new byte[h * w];
        for (int i = 0; i < l.length; i++) {
            l[i] = (byte) ((index + i) % 3);
        }
        return new LabeledImage(prefix + index, img, new LabelMap(h, w, l));
    }
}
