package org.eseg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.data.DataProblem;
import org.eseg.data.DatasetKind;
import org.eseg.data.PairedDataset;
import org.eseg.data.io.PixelLimit;
import org.eseg.data.stats.DatasetReport;
import org.eseg.data.stats.DatasetStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eseg dataset stats}: counts images, sizes and pixels per class, and lists every problem in one pass.
 * Exit codes: 0 when at least one pair is usable (problems are reported, not fatal); 1 when the folder holds no
 * pairs or none loads; 2 for bad arguments (including a missing {@code --data} folder).
 */
@Command(name = "stats",
        description = "Image count, sizes, pixels per class and every problem found. "
                + "Exit 0 if any pair is usable, 1 if none, 2 for bad arguments.")
final class DatasetStatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "Layout: " + DatasetKind.CHOICES + ".")
    DatasetKind kind;

    @Option(names = "--data", required = true, description = "Dataset root folder.")
    Path data;

    @Option(names = "--split", description = "Split (cityscapes: train/val/test; ade20k: training/validation; "
            + "folder: sub-folder of images/ and masks/, none by default).")
    String split;

    @Option(names = "--classes", description = "Class list for --dataset folder (default DATA/classes.txt).")
    Path classes;

    @Mixin
    Json json;

    @Option(names = "--threads", description = "Decoding threads (default: all processors).")
    Integer threads;

    @Mixin
    PixelLimitMixin pixels;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data: folder not found: " + data);
        }
        PairedDataset ds = kind.open(data, split, classes, true);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        DatasetReport r;
        try (PixelLimit.Restore pixelLimit = pixels.apply();
                ProgressBars.Bar bar = ProgressBars.start("check", ds.size(), spec.commandLine().getErr())) {
            r = DatasetStats.compute(ds, n, bar::stepTo);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.wanted) {
            out.println(new ObjectMapper().writeValueAsString(toJson(r)));
        } else {
            print(out, r);
        }
        out.flush();
        if (r.usable() == 0) {
            spec.commandLine().getErr().println("eseg dataset stats: error: no usable image/mask pair in " + data);
            return 1;
        }
        return 0;
    }

    private static Map<String, Object> toJson(DatasetReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", r.dataset());
        m.put("images", r.images());
        m.put("usable", r.usable());
        m.put("sizes", r.sizes());
        m.put("class_pixels", r.classPixels());
        m.put("ignore_pixels", r.ignorePixels());
        List<Map<String, String>> problems = r.problems().stream()
                .map(p -> Map.of("file", p.file().toString(), "message", p.message())).toList();
        m.put("problems", problems);
        m.put("notes", r.notes());
        return m;
    }

    private static void print(PrintWriter out, DatasetReport r) {
        out.printf("dataset: %s%nimages: %d (%d usable pairs)%n", r.dataset(), r.images(), r.usable());
        r.sizes().forEach((s, c) -> out.printf("  size %s: %d images%n", s, c));
        long labelled = r.classPixels().values().stream().mapToLong(Long::longValue).sum();
        out.println("pixels per class:");
        r.classPixels().forEach((name, c) -> out.printf("  %-20s %14d  %6.2f%%%n", name, c,
                labelled == 0 ? 0.0 : 100.0 * c / labelled));
        out.printf("  %-20s %14d%n", "(ignore 255)", r.ignorePixels());
        out.printf("problems: %d%n", r.problems().size());
        for (DataProblem p : r.problems()) {
            out.println("  " + p);
        }
        if (!r.notes().isEmpty()) {
            out.printf("conversions: %d%n", r.notes().size());
            r.notes().forEach(n -> out.println("  " + n));
        }
    }
}
