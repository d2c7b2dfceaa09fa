package org.eseg.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eseg.data.io.ImageTensors;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.layers.Resize;
import org.eseg.model.pretrained.BackboneFeatures;
import org.eseg.util.ImageSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg features}: the encoder's P1..P5 for one image, as an .npz file. */
@Command(name = "features",
        description = {
            "Run an EfficientNet encoder on one image (resized bilinearly, ImageNet-normalised) and write its",
            "feature levels P1..P5 (float32, NCHW) to an .npz file.",
        },
        footer = {"", "Examples:",
            "  eseg features --backbone efficientnet-b0 --weights b0.weights --image street.png --out f.npz",
            "  eseg features --backbone efficientnet-b1 --image street.png --input 512x1024 --out f.npz"})
final class FeaturesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backbone", required = true, paramLabel = "NAME",
            description = "efficientnet-b0 .. efficientnet-b7.")
    String backbone;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Backbone weights from 'eseg import-backbone' (default: random weights).")
    Path weights;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "A PNG, JPEG or BMP image.")
    Path image;

    @Option(names = "--input", paramLabel = "HxW", converter = ImageSizeConverter.class,
            description = "Network input size (default: the image's size).")
    ImageSize input;

    @Option(names = "--out", required = true, paramLabel = "FILE.npz", description = "The .npz file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        BackboneConfig config = BackboneConfig.byName(backbone);
        PrintWriter pw = spec.commandLine().getOut();
        if (weights == null) {
            spec.commandLine().getErr().println("eseg features: no --weights, using random weights");
        }
        List<Shape> shapes;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ImageTensors.read(image, m);
            if (input != null) {
                x = Resize.bilinear(x, input.height(), input.width());
            }
            shapes = BackboneFeatures.extract(config, weights, x, out);
        }
        for (int i = 0; i < shapes.size(); i++) {
            pw.println("P" + (i + 1) + " " + shapes.get(i));
        }
        pw.println("wrote " + out);
        pw.flush();
        return 0;
    }
}
