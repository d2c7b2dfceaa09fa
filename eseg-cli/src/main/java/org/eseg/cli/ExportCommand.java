package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.infer.ModelCompiler;
import org.eseg.infer.onnx.ExportCheck;
import org.eseg.infer.onnx.OnnxExportOptions;
import org.eseg.infer.onnx.OnnxExporter;
import org.eseg.model.EsegModel;
import org.eseg.util.ImageSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg export}: writes a model as ONNX (BatchNorm folded), optionally checking it with ONNX Runtime. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Export a model as ONNX: input 'image' (N,3,H,W) float32, output 'logits' (N,classes,H,W),",
            "BatchNorm folded into the convolutions. Fixed H and W with --input, symbolic with --dynamic",
            "(the default). --verify runs the file on ONNX Runtime and compares it with the DJL model.",
        },
        footer = {"", "Examples:",
            "  eseg export --checkpoint model.eseg --format onnx --out model.onnx --input 512x1024 --verify",
            "  eseg export --checkpoint model.eseg --out model.onnx --dynamic --opset 17"})
final class ExportCommand implements Callable<Integer> {

    /** Export formats. */
    enum Format { ONNX }

    /** Fixed or dynamic spatial size. */
    static final class Size {
        @Option(names = "--input", paramLabel = "HxW", converter = ImageSizeConverter.class,
                description = "Fix the input size.")
        ImageSize input;

        @Option(names = "--dynamic", description = "Symbolic batch, height and width (default).")
        boolean dynamic;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelSourceMixin model;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (atomically).")
    Path out;

    @ArgGroup(exclusive = true)
    Size size;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxExportOptions.DEFAULT_OPSET,
            description = "ONNX opset, " + OnnxExportOptions.MIN_OPSET + ".." + OnnxExportOptions.MAX_OPSET
                    + " (default: ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--verify", description = "Run the file on ONNX Runtime and compare with the DJL model "
            + "on a random image (at --input, or 256x512 for a dynamic export).")
    boolean verify;

    @Option(names = "--json", description = "End with one line of JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ImageSize fixed = size == null ? null : size.input;
        OnnxExportOptions options = OnnxExportOptions.builder().optInputSize(fixed).optOpset(opset).build();
        PrintWriter w = spec.commandLine().getOut();
        Map<String, Object> o = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel m = model.get().open(manager);
            OnnxExporter.write(ModelCompiler.compile(m), options, out);
            w.printf(Locale.ROOT, "wrote %s (%s, %s, opset %d)%n", out, m.config().name(),
                    fixed == null ? "dynamic NxHxW" : "input " + fixed, opset);
            o.put("out", out.toString());
            o.put("model", m.config().name());
            o.put("input", fixed == null ? "dynamic" : fixed.toString());
            o.put("opset", opset);
            if (verify) {
                ImageSize at = fixed != null ? fixed : new ImageSize(256, 512);
                ExportCheck.Parity p = ExportCheck.compare(m, out, at, 7);
                w.printf(Locale.ROOT, "ONNX Runtime vs DJL at %s: max abs diff %.3g (logits up to %.3g), "
                        + "argmax agreement %.4f%%%n", at, p.maxAbsDiff(), p.maxAbsLogit(), 100 * p.argmaxAgreement());
                o.put("verify_input", at.toString());
                o.put("max_abs_diff", p.maxAbsDiff());
                o.put("argmax_agreement", p.argmaxAgreement());
            }
        }
        if (json) {
            w.println(Json.line(o));
        }
        w.flush();
        return 0;
    }
}
