package org.eseg.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.infer.runtime.Precision;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.model.EsegConfig;
import org.eseg.model.complexity.Complexity;
import org.eseg.model.complexity.ComplexityReport;
import org.eseg.model.complexity.PartFigures;
import org.eseg.util.CpuFeatures;
import org.eseg.util.ImageSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg info}: parameters and multiply-adds of a model, per part. */
@Command(name = "info",
        description = {
            "Print a model's parameter count and MACs (multiply-adds of conv/linear layers) at an input size,",
            "for backbone, decoder, head and in total.",
        },
        footer = {"", "Examples:",
            "  eseg info --model eseg-s",
            "  eseg info --model eseg-s --max-level 5 --input 512x1024",
            "  eseg info --model eseg-lite-s --decoder fpn --classes 150 --json",
            "  eseg info --system"})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "Model:%n")
    ModelOptions options;

    @Option(names = "--system", description = "Print the processor's features that decide which precision runs "
            + "fast (int8: VNNI or AMX; bf16: AVX-512 BF16 or AMX) and libtorch's instruction-set cap.")
    boolean system;

    @Option(names = "--input", paramLabel = "HxW", converter = ImageSizeConverter.class,
            description = "Input size (default: ${DEFAULT-VALUE}).", defaultValue = "1024x2048")
    ImageSize input;

    @Mixin
    Json json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (system) {
            CpuFeatures cpu = CpuFeatures.detect();
            out.println("processor: " + cpu.summary());
            for (Precision p : Precision.values()) {
                boolean runs = Arrays.stream(RuntimeKind.values()).anyMatch(p::runsOn);
                out.println(p.label() + ": " + (!runs ? "no runtime computes in it yet"
                        : p.slowWarning(cpu).orElse("fast on this processor")));
            }
            if (options == null) {
                out.flush();
                return 0;
            }
        }
        if (options == null) {
            throw new IllegalArgumentException("a model is required (--model NAME), or --system");
        }
        EsegConfig config = options.toConfig();
        ComplexityReport r = Complexity.measure(config, input.height(), input.width());
        out.println(describe(config));
        out.printf(Locale.ROOT, "input: %s%n%n", input);
        out.printf(Locale.ROOT, "%-10s %12s %12s%n", "part", "params", "MACs");
        r.parts().forEach((part, f) -> out.printf(Locale.ROOT, "%-10s %12s %12s%n",
                part, Figures.millions(f.params()), Figures.billions(f.macs())));
        out.printf(Locale.ROOT, "%-10s %12s %12s%n", "total",
                Figures.millions(r.total().params()), Figures.billions(r.total().macs()));
        if (json.wanted) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", config.name());
            o.put("input", input.toString());
            o.put("params", r.total().params());
            o.put("macs", r.total().macs());
            Map<String, Object> parts = new LinkedHashMap<>();
            for (Map.Entry<String, PartFigures> e : r.parts().entrySet()) {
                parts.put(e.getKey(), Map.of("params", e.getValue().params(), "macs", e.getValue().macs()));
            }
            o.put("parts", parts);
            o.put("min_level", config.minLevel());
            o.put("max_level", config.maxLevel());
            o.put("decoder", config.decoder().kind().name().toLowerCase(Locale.ROOT));
            o.put("classes", config.numClasses());
            out.println(Json.line(o));
        }
        out.flush();
        return 0;
    }

    static String describe(EsegConfig c) {
        return String.format(Locale.ROOT, "%s: %s (width %.1f, depth %.1f), %s %d x %d, P%d-P%d, %d classes",
                c.name(), c.backbone().name(), c.backbone().width(), c.backbone().depth(),
                c.decoder().kind().name(), c.decoder().width(), c.decoder().repeats(),
                c.minLevel(), c.maxLevel(), c.numClasses());
    }
}
