package org.eseg.model.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eseg.model.EsegModel;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.backbone.BlockKind;
import org.eseg.model.backbone.EfficientNetEncoder;
import org.eseg.model.backbone.Encoder;
import org.eseg.model.backbone.ResNetEncoder;
import org.eseg.model.io.ModelFile;
import org.eseg.model.io.ParameterNames;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.util.ZipEntries;
import org.eseg.util.Tensors;

/**
 * Pretrained EfficientNet backbones: imports torchvision or timm {@code .safetensors} weights into our
 * {@link EfficientNetEncoder}, saves them in eseg's own backbone-weights file, and loads that file into a
 * model's backbone.
 *
 * <p>The saved file is a zip with {@code backbone.json} ({@link BackboneWeightsInfo}: backbone name, BN eps,
 * source) and {@code weights.ndlist} (the encoder tensors keyed {@code backbone.stage2.b0.conv_dw.conv.weight}
 * etc., as in a model file).
 */
public final class BackboneWeights {

    /** The zip entry holding the header. */
    public static final String INFO_ENTRY = "backbone.json";
    /** The zip entry holding the tensors. */
    public static final String WEIGHTS_ENTRY = "weights.ndlist";
    /** Our tensor names in the saved file start with the model's child name. */
    private static final String PREFIX = "backbone.";
    private static final String BN_COUNTER = "num_batches_tracked";
    /** Any size works; the encoder's parameter shapes do not depend on it. */
    private static final Shape INIT_SHAPE = new Shape(1, 3, 64, 64);

    private BackboneWeights() {}

    /**
     * Imports a torchvision or timm EfficientNet state dict, or torchvision's ResNet-50, saved as safetensors.
     *
     * @param file the {@code .safetensors} file
     * @param layout its naming (torchvision only for ResNet-50)
     * @param backbone the backbone the file must hold (an MBConv EfficientNet or ResNet-50)
     * @param batchNormEps the eps the weights were trained with (see {@link WeightLayout#defaultBatchNormEps})
     * @param manager owns the encoder's weights
     * @return the filled encoder (all stages: P1..P5 for EfficientNet, P2..P5 for ResNet-50) and a report
     * @throws IOException if the file is unreadable or does not hold that backbone: the message names the file
     *     and the first tensor that is missing, extra, or of another shape
     */
    public static ImportedBackbone importFrom(
            Path file, WeightLayout layout, BackboneConfig backbone, double batchNormEps, NDManager manager)
            throws IOException {
        if (backbone.block() == BlockKind.BOTTLENECK) {
            return importResNet(file, layout, backbone, batchNormEps, manager);
        }
        if (backbone.block() != BlockKind.MBCONV || backbone.seRatio() <= 0) {
            throw new IllegalArgumentException("pretrained weights exist for EfficientNet (MBConv with SE) "
                    + "and ResNet-50 backbones only, not " + backbone.name());
        }
        BatchNormSpec bn = new BatchNormSpec(batchNormEps, BatchNormSpec.EFFICIENTNET.momentum());
        EfficientNetEncoder encoder = new EfficientNetEncoder(backbone, bn, EfficientNetEncoder.MAX_ENCODER_LEVEL);
        encoder.initialize(manager, DataType.FLOAT32, INIT_SHAPE);
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> source = SafetensorsReader.read(file, tmp);
            checkLayout(file, layout, source);
            checkBlockCounts(file, layout, backbone, encoder, source);
            Map<String, String> names = EncoderNames.map(encoder, layout);
            return fill(file, encoder, names, source, layout::isHeadOrClassifier,
                    new ImportReport(backbone.name(), layout, batchNormEps, names.size(), List.of(), 0));
        }
    }

    /** torchvision's {@code resnet50} state dict (docs/design.md section 7). */
    private static ImportedBackbone importResNet(
            Path file, WeightLayout layout, BackboneConfig backbone, double batchNormEps, NDManager manager)
            throws IOException {
        if (layout != WeightLayout.TORCHVISION) {
            throw new IllegalArgumentException("ResNet-50 weights are imported from torchvision's layout only");
        }
        BatchNormSpec bn = new BatchNormSpec(batchNormEps, BatchNormSpec.TORCHVISION.momentum());
        ResNetEncoder encoder = new ResNetEncoder(bn, ResNetEncoder.MAX_ENCODER_LEVEL, Encoder.FULL_STRIDE);
        encoder.initialize(manager, DataType.FLOAT32, INIT_SHAPE);
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> source = SafetensorsReader.read(file, tmp);
            if (!source.containsKey(ResNetNames.STEM_WEIGHT)) {
                throw new IOException(file + ": no torchvision ResNet stem tensor '" + ResNetNames.STEM_WEIGHT + "'");
            }
            Map<String, String> names = ResNetNames.map(encoder);
            return fill(file, encoder, names, source, n -> n.startsWith(ResNetNames.CLASSIFIER_PREFIX),
                    new ImportReport(backbone.name(), layout, batchNormEps, names.size(), List.of(), 0));
        }
    }

    /**
     * Copies every mapped tensor into the encoder; of the rest, BatchNorm counters are ignored, head and
     * classifier tensors left out, and anything else means the file holds another backbone.
     */
    private static ImportedBackbone fill(Path file, Encoder encoder, Map<String, String> names,
            Map<String, NDArray> source, java.util.function.Predicate<String> isHeadOrClassifier, ImportReport base)
            throws IOException {
        Map<String, Parameter> params = ParameterNames.of(encoder);
        for (Map.Entry<String, String> e : names.entrySet()) {
            copy(file, e.getValue(), source.remove(e.getValue()), params.get(e.getKey()).getArray());
        }
        List<String> leftOut = new ArrayList<>();
        int ignored = 0;
        for (String rest : source.keySet()) {
            if (rest.endsWith("." + BN_COUNTER)) {
                ignored++;
            } else if (isHeadOrClassifier.test(rest)) {
                leftOut.add(rest);
            } else {
                throw new IOException(file + ": tensor '" + rest + "' is not part of " + base.backbone()
                        + "; the file holds another backbone");
            }
        }
        return new ImportedBackbone(encoder, new ImportReport(
                base.backbone(), base.source(), base.batchNormEps(), base.loaded(), leftOut, ignored));
    }

    private static void checkLayout(Path file, WeightLayout layout, Map<String, NDArray> source) throws IOException {
        if (layout.recognises(source.keySet())) {
            return;
        }
        String hint = Arrays.stream(WeightLayout.values())
                .filter(l -> l.recognises(source.keySet()))
                .map(l -> "; the names look like the " + l.name().toLowerCase(java.util.Locale.ROOT) + " layout")
                .findFirst()
                .orElse("");
        throw new IOException(file + ": no " + layout.name().toLowerCase(java.util.Locale.ROOT)
                + " EfficientNet stem tensor" + hint);
    }

    /** A file of another depth (B1 for B0, say) shows in its blocks per stage; say so before any tensor. */
    private static void checkBlockCounts(Path file, WeightLayout layout, BackboneConfig backbone,
            EfficientNetEncoder encoder, Map<String, NDArray> source) throws IOException {
        int[] inFile = layout.blockCounts(source.keySet());
        int[] ours = ParameterNames.of(encoder).keySet().stream()
                .filter(n -> n.startsWith("stage"))
                .map(n -> n.split("\\."))
                .collect(java.util.stream.Collectors.toMap(
                        p -> Integer.parseInt(p[0].substring("stage".length())),
                        p -> Integer.parseInt(p[1].substring(1)) + 1, Math::max, java.util.TreeMap::new))
                .values().stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(inFile, ours)) {
            throw new IOException(file + ": the file has " + Arrays.toString(inFile) + " blocks per stage, "
                    + backbone.name() + " has " + Arrays.toString(ours) + "; it holds another backbone");
        }
    }

    private static void copy(Path file, String name, NDArray src, NDArray dst) throws IOException {
        if (src == null) {
            throw new IOException(file + ": tensor '" + name + "' is missing");
        }
        if (!src.getShape().equals(dst.getShape())) {
            throw new IOException(file + ": tensor '" + name + "' has shape " + src.getShape()
                    + ", the backbone expects " + dst.getShape() + "; the file holds another backbone");
        }
        Tensors.assign(dst, src);
    }

    /**
     * Saves an imported encoder as an eseg backbone-weights file (atomically).
     *
     * @param imported the import result
     * @param source describes the origin, e.g. {@code torchvision:efficientnet_b0.safetensors}
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public static void save(ImportedBackbone imported, String source, Path file) throws IOException {
        ImportReport r = imported.report();
        BackboneWeightsInfo info = new BackboneWeightsInfo(
                BackboneWeightsInfo.FORMAT, r.backbone(), r.batchNormEps(), source);
        NDList list = new NDList();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(imported.encoder()).entrySet()) {
            NDArray a = e.getValue().getArray();
            a.setName(PREFIX + e.getKey());
            list.add(a);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        list.encode(bytes);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(INFO_ENTRY, info.toJson().getBytes(StandardCharsets.UTF_8));
        entries.put(WEIGHTS_ENTRY, bytes.toByteArray());
        ModelFile.writeZip(file, entries);
    }

    /**
     * Reads the header of a backbone-weights file, e.g. to set a model's BatchNorm eps before building it.
     *
     * @param file a file written by {@link #save}
     * @return its header
     * @throws IOException if it is missing, truncated or not a backbone-weights file, naming it
     */
    public static BackboneWeightsInfo readInfo(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            return info(zip, file);
        }
    }

    /**
     * Loads a backbone-weights file into a model's backbone (the rest of the model is left as it is). This is
     * what training calls to start from pretrained weights.
     *
     * @param model an initialised model whose backbone and BatchNorm eps match the file (build its config
     *     with {@code withBatchNorm(readInfo(file).batchNorm())})
     * @param file a file written by {@link #save}
     * @throws IOException if the file is unreadable or a tensor is missing or of another shape, naming it
     * @throws IllegalArgumentException if the model's backbone or BN eps differs from the file's
     */
    public static void loadInto(EsegModel model, Path file) throws IOException {
        BackboneWeightsInfo info = readInfo(file);
        double eps = model.config().batchNorm().eps();
        if (Math.abs(eps - info.batchNormEps()) > 1e-6 * info.batchNormEps()) {
            throw new IllegalArgumentException(file + ": the weights need BatchNorm eps " + info.batchNormEps()
                    + ", the model uses " + eps + "; build it with config.withBatchNorm(new BatchNormSpec("
                    + info.batchNormEps() + ", " + model.config().batchNorm().momentum() + "))");
        }
        loadInto(model.backbone(), model.config().backbone().name(), file);
    }

    /**
     * Loads a backbone-weights file into an encoder built with the file's {@link BackboneWeightsInfo#batchNorm()}.
     *
     * @param encoder an initialised encoder of the file's backbone
     * @param file a file written by {@link #save}
     * @throws IOException if the file is unreadable or a tensor is missing or of another shape, naming it
     * @throws IllegalArgumentException if the encoder's backbone differs from the file's
     */
    public static void loadInto(EfficientNetEncoder encoder, Path file) throws IOException {
        loadInto(encoder, encoder.config().name(), file);
    }

    /** Loads a backbone-weights file into an encoder of the named backbone. */
    static void loadInto(Encoder encoder, String backbone, Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            BackboneWeightsInfo info = info(zip, file);
            if (!info.backbone().equals(backbone)) {
                throw new IllegalArgumentException(file + " holds " + info.backbone() + " weights, the model's "
                        + "backbone is " + backbone);
            }
            byte[] encoded = entry(zip, file, WEIGHTS_ENTRY);
            try (NDManager tmp = encoder.getParameters().valueAt(0).getArray().getManager().newSubManager()) {
                NDList list;
                try {
                    list = NDList.decode(tmp, encoded);
                } catch (RuntimeException e) {
                    throw new IOException(file + ": weights are corrupt (" + e.getMessage() + ")", e);
                }
                Map<String, NDArray> byName = new HashMap<>();
                list.forEach(a -> byName.put(a.getName(), a));
                // A model that stops before P5 has fewer stages than the file: the extra tensors are unused.
                for (Map.Entry<String, Parameter> e : ParameterNames.of(encoder).entrySet()) {
                    copy(file, PREFIX + e.getKey(), byName.get(PREFIX + e.getKey()), e.getValue().getArray());
                }
            }
        }
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "backbone weights file not found");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not an eseg backbone-weights file, or truncated (" + e.getMessage() + ")", e);
        }
    }

    private static BackboneWeightsInfo info(ZipFile zip, Path file) throws IOException {
        try {
            return BackboneWeightsInfo.fromJson(new String(entry(zip, file, INFO_ENTRY), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException(file + ": not an eseg backbone-weights file (no " + name + ")");
        }
        return ZipEntries.readChecked(zip, file, e);
    }
}
