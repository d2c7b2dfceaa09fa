package org.eseg.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.pretrained.BackboneWeights;
import org.eseg.model.pretrained.ImportReport;
import org.eseg.model.pretrained.ImportedBackbone;
import org.eseg.model.pretrained.WeightLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg import-backbone}: converts torchvision/timm EfficientNet safetensors into eseg backbone weights. */
@Command(name = "import-backbone",
        description = {
            "Import pretrained EfficientNet weights (a torchvision or timm state dict saved as .safetensors)",
            "into eseg's backbone-weights file. The 1280-channel head conv and the classifier are left out.",
        },
        footer = {"", "Examples:",
            "  eseg import-backbone --from torchvision --in efficientnet_b1.safetensors --backbone efficientnet-b1 "
                    + "--out b1.weights",
            "  eseg import-backbone --from timm --in timm_b0.safetensors --backbone efficientnet-b0 --out b0.weights",
            "  eseg import-backbone --from torchvision --in resnet50.safetensors --backbone resnet-50 --out r50.weights"})
final class ImportBackboneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "torchvision|timm",
            description = "Naming of the file's tensors: ${COMPLETION-CANDIDATES}.")
    WeightLayout from;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The .safetensors state dict.")
    Path in;

    @Option(names = "--backbone", required = true, paramLabel = "NAME",
            description = "The backbone the file holds: efficientnet-b0 .. efficientnet-b7, or resnet-50 "
                    + "(torchvision only).")
    String backbone;

    @Option(names = "--bn-eps", paramLabel = "EPS", description = "BatchNorm eps of the weights (default: 1e-5; "
            + "torchvision b5-b7 1e-3).")
    Double bnEps;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The backbone-weights file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        BackboneConfig config = BackboneConfig.byName(backbone);
        double eps = bnEps != null ? bnEps : from.defaultBatchNormEps(config);
        PrintWriter pw = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            ImportedBackbone imported = BackboneWeights.importFrom(in, from, config, eps, manager);
            String source = from.name().toLowerCase(Locale.ROOT) + ":" + in.getFileName();
            BackboneWeights.save(imported, source, out);
            ImportReport r = imported.report();
            pw.printf(Locale.ROOT, "%s from %s (%s)%n", r.backbone(), in, source.substring(0, source.indexOf(':')));
            pw.printf(Locale.ROOT, "loaded %d tensors (BN running statistics included)%n", r.loaded());
            pw.printf(Locale.ROOT, "left out %d: %s%n", r.leftOut().size(), r.leftOut());
            pw.printf(Locale.ROOT, "ignored %d num_batches_tracked counters%n", r.ignored());
            double momentum = config.block() == org.eseg.model.backbone.BlockKind.BOTTLENECK
                    ? org.eseg.model.layers.BatchNormSpec.TORCHVISION.momentum()
                    : org.eseg.model.layers.BatchNormSpec.EFFICIENTNET.momentum();
            pw.printf(Locale.ROOT, "BatchNorm eps %s: build the model with config.withBatchNorm(new BatchNormSpec(%s, %s))%n",
                    r.batchNormEps(), r.batchNormEps(), momentum);
            pw.printf(Locale.ROOT, "wrote %s%n", out);
        }
        pw.flush();
        return 0;
    }
}
