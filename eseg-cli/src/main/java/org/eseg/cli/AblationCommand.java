package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.ablation.Ablation;
import org.eseg.ablation.AblationOptions;
import org.eseg.ablation.AblationRow;
import org.eseg.ablation.AblationTable;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.util.ImageSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg ablation}: the paper's Table 8, trained with identical settings and printed as one table. */
@Command(name = "ablation",
        description = {
            "Reproduce the paper's Table 8: train EfficientNet-B1 and ResNet-50 each under the BiFPN and under",
            "DeepLabV3+ with and without atrous convolutions, all with the same settings, then print one table of",
            "validation mIoU, parameters and multiply-adds (at 1024x2048) and latency measured side by side.",
            "Each model's run goes into OUT/<model>. Unset training settings take 'eseg train' defaults (the paper's).",
        })
final class AblationCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset root folder.")
    Path data;

    @Option(names = "--dataset", paramLabel = "KIND", required = true,
            description = "Dataset layout: cityscapes, ade20k or folder.")
    String dataset;

    @Option(names = "--steps", paramLabel = "N", required = true, description = "Training steps per model.")
    long steps;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ablation-out",
            description = "Ablation folder (default ${DEFAULT-VALUE}); it must not hold a run of these models.")
    Path out;

    @Option(names = "--models", paramLabel = "LIST", split = ",",
            description = "Models to compare (default: Table 8's six: eseg-s, eseg-s-dlv3p, eseg-s-dlv3p-noatrous,"
                    + " r50-bifpn, r50-dlv3p, r50-dlv3p-noatrous).")
    List<String> models;

    @Option(names = "--batch", paramLabel = "N", description = "Images per step (default: eseg train's).")
    Integer batch;

    @Option(names = "--crop", paramLabel = "HxW", converter = ImageSizeConverter.class,
            description = "Training crop (default: eseg train's).")
    ImageSize crop;

    @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate (default: eseg train's).")
    Double lr;

    @Option(names = "--ema-decay", paramLabel = "D",
            description = "EMA decay of the weights, 0 for none (default: eseg train's).")
    Double emaDecay;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--latency-input", paramLabel = "HxW", converter = ImageSizeConverter.class,
            defaultValue = "512x1024", description = "Image size for the latency column (default ${DEFAULT-VALUE}).")
    ImageSize latencyInput;

    @Option(names = "--latency-iterations", paramLabel = "N", defaultValue = "5",
            description = "Timed passes per model (default ${DEFAULT-VALUE}).")
    int latencyIterations;

    @Option(names = "--runtime", paramLabel = "KIND", defaultValue = "onnx",
            description = "Runtime the latency is measured with: onnx, djl or djl-eager (default ${DEFAULT-VALUE}).")
    String runtime;

    @Mixin
    Json json;

    @Override
    public Integer call() throws IOException {
        AblationOptions options = new AblationOptions(data, dataset, out, models, steps, batch, crop, lr, emaDecay,
                seed, latencyInput, latencyIterations, RuntimeKind.parse(runtime));
        PrintWriter stdout = spec.commandLine().getOut();
        List<AblationRow> rows;
        try (ProgressListener progress = new ProgressListener("train", spec.commandLine().getErr())) {
            rows = Ablation.run(options, progress, progress::message);
        }
        stdout.println();
        stdout.print(AblationTable.format(rows, latencyInput));
        if (json.wanted) {
            for (AblationRow r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("model", r.model());
                o.put("encoder", r.encoder());
                o.put("decoder", r.decoder());
                o.put("miou", Double.isNaN(r.miou()) ? null : r.miou());
                o.put("params", r.params());
                o.put("macs", r.macs());
                o.put("latency_ms", r.latencyMs());
                o.put("latency_input", latencyInput.toString());
                o.put("checkpoint", r.checkpoint().toString());
                stdout.println(Json.line(o));
            }
        }
        stdout.flush();
        return 0;
    }
}
