package org.eseg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegVariants;
import org.eseg.model.complexity.Complexity;
import org.eseg.model.complexity.ComplexityReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg models}: the model variants with their size and cost at 1024×2048. */
@Command(name = "models",
        description = "List the ESeg variants with parameters and MACs at 1024x2048 (19 classes).")
final class ModelsCommand implements Callable<Integer> {

    private static final int HEIGHT = 1024;
    private static final int WIDTH = 2048;

    @Spec
    CommandSpec spec;

    @Mixin
    Json json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-12s %-18s %-12s %-7s %9s %9s%n",
                "model", "backbone", "decoder", "levels", "params", "MACs");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : EsegVariants.names()) {
            EsegConfig c = EsegVariants.byName(name);
            ComplexityReport r = Complexity.measure(c, HEIGHT, WIDTH);
            String backbone = c.backbone().name().startsWith("efficientnet")
                    ? c.backbone().name()
                    : String.format(Locale.ROOT, "fused w%.1f d%.1f", c.backbone().width(), c.backbone().depth());
            out.printf(Locale.ROOT, "%-12s %-18s %-12s %-7s %9s %9s%n", name, backbone,
                    String.format(Locale.ROOT, "bifpn %dx%d", c.decoder().width(), c.decoder().repeats()),
                    "P" + c.minLevel() + "-P" + c.maxLevel(),
                    Figures.millions(r.total().params()), Figures.billions(r.total().macs()));
            out.flush();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", name);
            row.put("params", r.total().params());
            row.put("macs", r.total().macs());
            rows.add(row);
        }
        if (json.wanted) {
            out.println(Json.line(Map.of("input", HEIGHT + "x" + WIDTH, "models", rows)));
        }
        out.flush();
        return 0;
    }
}
