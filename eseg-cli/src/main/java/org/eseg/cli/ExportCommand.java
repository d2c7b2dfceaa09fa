package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.graph.InferenceGraph;
import org.eseg.infer.compile.ModelCompiler;
import org.eseg.infer.export.onnx.OnnxExportOptions;
import org.eseg.infer.export.onnx.OnnxExporter;
import org.eseg.infer.export.torchscript.TorchScriptExporter;
import org.eseg.infer.runtime.DjlRuntime;
import org.eseg.infer.runtime.Calibration;
import org.eseg.infer.runtime.ExportCheck;
import org.eseg.infer.runtime.Int8Calibrator;
import org.eseg.infer.runtime.Precision;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.infer.runtime.RuntimeOptions;
import org.eseg.infer.runtime.Runtimes;
import org.eseg.infer.runtime.SegmentationRuntime;
import org.eseg.model.EsegModel;
import org.eseg.util.ImageSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eseg export}: writes a model as ONNX or TorchScript (BatchNorm folded), optionally checking the file
 * on its runtime against the model.
 */
@Command(name = "export",
        description = {
            "Export a model for deployment, BatchNorm folded into the convolutions:",
            "  onnx         input 'image' (N,3,H,W) float32, output 'logits' (N,classes,H,W); fixed H and W",
            "               with --input, symbolic with --dynamic (the default). For ONNX Runtime, TensorRT.",
            "  torchscript  a TorchScript module (forward(image) -> logits, any N, H, W) that DJL's PyTorch",
            "               engine (Criteria / Model.load) and libtorch load; computes in channels-last order.",
            "--verify runs the file on its runtime and compares it with the DJL model.",
            "--precision int8 (onnx): int8 weights and uint8 maps as QuantizeLinear/DequantizeLinear pairs that",
            "ONNX Runtime fuses into integer kernels, calibrated on --calibrate-data (training images).",
        },
        footer = {"", "Examples:",
            "  eseg export --checkpoint model.eseg --format onnx --out model.onnx --input 512x1024 --verify",
            "  eseg export --checkpoint model.eseg --out model.onnx --dynamic --opset 17",
            "  eseg export --checkpoint runs/city --format torchscript --out model.pt --verify",
            "  eseg export --checkpoint model.eseg --format onnx --precision int8 --calibrate-data data/cityscapes/leftImg8bit/train --calibrate-images 200 --out model-int8.onnx"})
final class ExportCommand implements Callable<Integer> {

    /** Export formats. */
    enum Format { ONNX, TORCHSCRIPT }

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

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx", converter = FormatConverter.class,
            description = "Output format: onnx or torchscript (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (atomically).")
    Path out;

    @ArgGroup(exclusive = true)
    Size size;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "0",
            description = "Fix the batch size of an ONNX export with --input (default: free). Lets ONNX Runtime "
                    + "and TensorRT know every shape; ONNX Runtime then runs ESeg-S ~5%% faster.")
    int batch;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxExportOptions.DEFAULT_OPSET,
            description = "ONNX opset, " + OnnxExportOptions.MIN_OPSET + ".." + OnnxExportOptions.MAX_OPSET
                    + " (default: ${DEFAULT-VALUE}; onnx only).")
    int opset;

    @Option(names = "--verify", description = "Run the file on its runtime (ONNX Runtime, or DJL for TorchScript) "
            + "and compare with the DJL model on a random image (at --input, or 256x512 without one).")
    boolean verify;

    @Option(names = "--verify-size", paramLabel = "HxW", converter = ImageSizeConverter.class,
            description = "Image size for --verify (default: --input, else 256x512).")
    ImageSize verifySize;

    @Mixin
    PrecisionMixin precision;

    @Mixin
    Json json;

    @Override
    public Integer call() throws Exception {
        ImageSize fixed = size == null ? null : size.input;
        if (fixed != null && verifySize != null && !verifySize.equals(fixed)) {
            throw new IllegalArgumentException("--verify-size " + verifySize + " differs from --input " + fixed
                    + ": a fixed-size export runs at its own size only");
        }
        if (batch < 0) {
            throw new IllegalArgumentException("--batch must be at least 1 (or 0 for a free batch), got " + batch);
        }
        if (batch > 0 && (fixed == null || format != Format.ONNX)) {
            throw new IllegalArgumentException("--batch fixes the batch of an ONNX export with --input HxW only");
        }
        if (format == Format.TORCHSCRIPT && fixed != null) {
            throw new IllegalArgumentException("--input fixes the size of an ONNX export only; a TorchScript "
                    + "export takes any size (use --input with --format onnx, or drop it)");
        }
        Precision kind = precision.get();
        if (kind == Precision.BF16) {
            Runtimes.checkPrecision(RuntimeKind.DJL, kind);
        }
        if (kind == Precision.INT8 && format != Format.ONNX) {
            throw new IllegalArgumentException("--precision int8 exports ONNX only (ONNX Runtime runs it); use --format onnx");
        }
        Calibration calibration = kind == Precision.INT8
                ? precision.apply(RuntimeOptions.DEFAULT, kind).calibration() : null;
        PrintWriter w = spec.commandLine().getOut();
        Map<String, Object> o = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            EsegModel m = model.get().open(manager);
            InferenceGraph graph = ModelCompiler.compile(m);
            if (format == Format.ONNX) {
                OnnxExportOptions options = OnnxExportOptions.DEFAULT.withInput(fixed, batch).withOpset(opset);
                if (calibration != null) {
                    options = options.withInt8(Int8Calibrator.calibrate(graph, calibration, RuntimeOptions.DEFAULT));
                }
                OnnxExporter.write(graph, options, out);
                w.printf(Locale.ROOT, "wrote %s (%s, %s, opset %d, %s)%n", out, m.config().name(),
                        fixed == null ? "dynamic NxHxW" : "input " + (batch > 0 ? batch + "x" : "Nx") + fixed, opset,
                        calibration == null ? "fp32" : "int8 QDQ, calibrated on " + calibration.images().size()
                                + " images");
            } else {
                TorchScriptExporter.write(graph, out);
                w.printf(Locale.ROOT, "wrote %s (%s, TorchScript, any NxHxW)%n", out, m.config().name());
            }
            o.put("out", out.toString());
            o.put("format", format.name().toLowerCase(Locale.ROOT));
            o.put("model", m.config().name());
            o.put("precision", kind.label());
            o.put("input", fixed == null ? "dynamic" : fixed.toString());
            o.put("batch", batch > 0 ? batch : "dynamic");
            if (format == Format.ONNX) {
                o.put("opset", opset);
            }
            if (verify) {
                ImageSize at = fixed != null ? fixed : verifySize != null ? verifySize : new ImageSize(256, 512);
                ExportCheck.Parity p;
                String runtime;
                if (format == Format.ONNX) {
                    p = ExportCheck.compare(m, out, at, Math.max(1, batch), 7);
                    runtime = "ONNX Runtime";
                } else {
                    try (SegmentationRuntime djl = DjlRuntime.open(out, RuntimeOptions.DEFAULT)) {
                        p = ExportCheck.compare(m, djl, at, 7);
                    }
                    runtime = "TorchScript on DJL";
                }
                w.printf(Locale.ROOT, "%s vs the DJL model at %s: max abs diff %.3g (logits up to %.3g), "
                        + "argmax agreement %.4f%%%n", runtime, at, p.maxAbsDiff(), p.maxAbsLogit(),
                        100 * p.argmaxAgreement());
                o.put("verify_input", at.toString());
                o.put("max_abs_diff", p.maxAbsDiff());
                o.put("argmax_agreement", p.argmaxAgreement());
            }
        }
        if (json.wanted) {
            w.println(Json.line(o));
        }
        w.flush();
        return 0;
    }

    /** Parses a format name case-insensitively, listing the known ones on error. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format f : Format.values()) {
                if (f.name().equalsIgnoreCase(value.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--format must be onnx or torchscript, got '" + value + "'");
        }
    }
}
