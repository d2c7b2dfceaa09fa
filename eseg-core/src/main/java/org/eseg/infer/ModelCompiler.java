package org.eseg.infer;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.eseg.infer.graph.ActKind;
import org.eseg.infer.graph.GraphBuilder;
import org.eseg.infer.graph.InferenceGraph;
import org.eseg.model.EsegModel;
import org.eseg.model.backbone.EfficientNetEncoder;
import org.eseg.model.backbone.ExtraLevels;
import org.eseg.model.backbone.InvertedResidual;
import org.eseg.model.decoder.BiFpnLayer;
import org.eseg.model.decoder.BiFpnNode;
import org.eseg.model.decoder.LateralProjection;
import org.eseg.model.decoder.TopDownFpn;
import org.eseg.model.head.LevelFusion;
import org.eseg.model.layers.ActivationBlock;
import org.eseg.model.layers.ConvBnAct;
import org.eseg.model.layers.SeparableConv;
import org.eseg.model.layers.SqueezeExcite;

/**
 * Compiles a trained {@link EsegModel} into an {@link InferenceGraph}: BatchNorm folded into the
 * convolutions before it, BiFPN fast-normalized-fusion weights and the head's softmax level weights
 * turned into constants, resizes between maps of one level dropped. The graph computes what the model
 * computes in inference mode (up to float rounding).
 */
public final class ModelCompiler {

    private final EsegModel model;
    private final double eps;
    private final GraphBuilder g = new GraphBuilder();

    private ModelCompiler(EsegModel model) {
        this.model = model;
        this.eps = model.config().batchNorm().eps();
    }

    /**
     * Compiles a model.
     *
     * @param model an initialised (trained or random) model
     * @return the inference graph
     */
    public static InferenceGraph compile(EsegModel model) {
        return new ModelCompiler(model).run();
    }

    private InferenceGraph run() {
        List<Integer> taps = encoder(model.backbone());
        List<Integer> levels = extraLevels(model.extra(), taps);
        List<Integer> features = decoder(model.decoder(), levels);
        int logits = head(model.head(), features);
        int out = g.resizeLike(logits, InferenceGraph.INPUT, true);
        return g.build(model.config().name(), model.config().numClasses(), out);
    }

    private List<Integer> encoder(EfficientNetEncoder enc) {
        int x = convBnAct(enc.stem(), InferenceGraph.INPUT);
        List<Integer> taps = new ArrayList<>();
        for (int s = 0; s < enc.stages().size(); s++) {
            for (Pair<String, Block> b : enc.stages().get(s).getChildren()) {
                x = invertedResidual((InvertedResidual) b.getValue(), x);
            }
            if (enc.isTap(s)) {
                taps.add(x);
            }
        }
        return taps;
    }

    private int invertedResidual(InvertedResidual block, int in) {
        int x = in;
        for (Pair<String, Block> child : block.getChildren()) {
            Block c = child.getValue();
            if (c instanceof ConvBnAct cba) {
                x = convBnAct(cba, x);
            } else if (c instanceof SqueezeExcite se) {
                x = squeezeExcite(se, x);
            } else {
                throw unsupported(c);
            }
        }
        // Drop-path is the identity at inference.
        return block.args().hasResidual() ? g.add(x, in) : x;
    }

    private int squeezeExcite(SqueezeExcite se, int x) {
        int s = g.globalAvgPool(x);
        s = g.act(g.conv(s, BatchNormFolding.plain(se.reduce())), ActKind.of(se.act()));
        s = g.act(g.conv(s, BatchNormFolding.plain(se.expand())), ActKind.SIGMOID);
        return g.mul(x, s);
    }

    private List<Integer> extraLevels(ExtraLevels extra, List<Integer> taps) {
        List<Integer> out = new ArrayList<>();
        int current = -1;
        for (int level = extra.firstTapLevel(); level <= extra.maxLevel(); level++) {
            int tap = level - extra.firstTapLevel();
            current = tap < taps.size() ? taps.get(tap) : g.pool(current, false);
            if (level >= extra.minLevel()) {
                out.add(current);
            }
        }
        return out;
    }

    private List<Integer> decoder(Block decoder, List<Integer> levels) {
        List<Integer> x = levels;
        for (Pair<String, Block> part : decoder.getChildren()) {
            Block b = part.getValue();
            if (b instanceof LateralProjection lateral) {
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < x.size(); i++) {
                    out.add(convBnAct(lateral.perLevel().get(i), x.get(i)));
                }
                x = out;
            } else if (b instanceof BiFpnLayer layer) {
                x = biFpnLayer(layer, x);
            } else if (b instanceof TopDownFpn fpn) {
                x = topDownFpn(fpn, x);
            } else {
                throw unsupported(b);
            }
        }
        return x;
    }

    private List<Integer> biFpnLayer(BiFpnLayer layer, List<Integer> in) {
        int levels = layer.levels();
        int[] td = new int[levels];
        td[levels - 1] = in.get(levels - 1);
        for (int i = levels - 2; i >= 0; i--) {
            // Scale the coarser map before upsampling it: the same values (nearest copies them), on a map
            // four times smaller, and the node then adds it unscaled.
            float[] w = fusionWeights(layer.topDown(i));
            int up = g.resizeLike(g.weightedSum(new int[] {td[i + 1]}, new float[] {w[1]}), in.get(i), false);
            td[i] = biFpnNode(layer.topDown(i), new int[] {in.get(i), up}, new float[] {w[0], 1f});
        }
        List<Integer> out = new ArrayList<>();
        out.add(td[0]);
        for (int i = 1; i < levels; i++) {
            int down = g.resizeLike(g.pool(out.get(i - 1), true), in.get(i), false);
            int[] maps = i < levels - 1 ? new int[] {in.get(i), td[i], down} : new int[] {in.get(i), down};
            out.add(biFpnNode(layer.bottomUp(i), maps, fusionWeights(layer.bottomUp(i))));
        }
        return out;
    }

    private int biFpnNode(BiFpnNode node, int[] maps, float[] weights) {
        int x = g.act(g.weightedSum(maps, weights), ActKind.of(node.act()));
        return separable(node.conv(), node.bn(), x);
    }

    /** Fast normalized fusion weights relu(w) / (Σ relu(w) + eps), computed once here instead of per image. */
    private static float[] fusionWeights(BiFpnNode node) {
        float[] w = node.weights().getArray().toFloatArray();
        double sum = 0;
        for (float v : w) {
            sum += Math.max(v, 0);
        }
        float[] norm = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            norm[j] = (float) (Math.max(w[j], 0) / (sum + BiFpnNode.fusionEps()));
        }
        return norm;
    }

    private List<Integer> topDownFpn(TopDownFpn fpn, List<Integer> in) {
        int levels = in.size();
        int[] out = new int[levels];
        int td = in.get(levels - 1);
        for (int i = levels - 1; i >= 0; i--) {
            if (i < levels - 1) {
                td = g.add(in.get(i), g.resizeLike(td, in.get(i), false));
            }
            out[i] = convBnAct(fpn.outputs().get(i), td);
        }
        List<Integer> list = new ArrayList<>();
        for (int o : out) {
            list.add(o);
        }
        return list;
    }

    private int head(Block head, List<Integer> features) {
        List<Block> chain = new ArrayList<>();
        for (Pair<String, Block> p : head.getChildren()) {
            chain.add(p.getValue());
        }
        int x = -1;
        for (int i = 0; i < chain.size(); i++) {
            Block b = chain.get(i);
            if (b instanceof LevelFusion fusion) {
                x = levelFusion(fusion, features);
            } else if (b instanceof SeparableConv sep && i + 1 < chain.size() && chain.get(i + 1) instanceof BatchNorm bn) {
                x = separable(sep, bn, x);
                i++;
            } else if (b instanceof ActivationBlock act) {
                x = g.act(x, ActKind.of(act.act()));
            } else if (b instanceof Conv2d conv) {
                x = g.conv(x, BatchNormFolding.plain(conv));
            } else {
                throw unsupported(b);
            }
        }
        return x;
    }

    private int levelFusion(LevelFusion fusion, List<Integer> maps) {
        // softmax(w) is a constant after training.
        float[] w = fusion.weights().getArray().toFloatArray();
        double max = Double.NEGATIVE_INFINITY;
        for (float v : w) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (float v : w) {
            z += Math.exp(v - max);
        }
        float[] weights = new float[w.length];
        int[] resized = new int[maps.size()];
        for (int i = 0; i < w.length; i++) {
            float soft = (float) (Math.exp(w[i] - max) / z);
            if (i == 0) {
                weights[i] = soft;
                resized[i] = maps.get(0);
            } else {
                // Bilinear resizing is linear: scaling the coarse map first costs a pass over a map
                // 4^i times smaller, and the full-resolution sum then adds it unscaled.
                weights[i] = 1f;
                resized[i] = g.resizeLike(g.weightedSum(new int[] {maps.get(i)}, new float[] {soft}),
                        maps.get(0), true);
            }
        }
        return g.weightedSum(resized, weights);
    }

    private int separable(SeparableConv conv, BatchNorm bn, int x) {
        int y = g.conv(x, BatchNormFolding.plain(conv.depthwise()));
        return g.conv(y, BatchNormFolding.fold(conv.pointwise(), bn, eps));
    }

    private int convBnAct(ConvBnAct block, int x) {
        int y = g.conv(x, BatchNormFolding.fold(block.conv(), block.bn(), eps));
        return block.act() == null ? y : g.act(y, ActKind.of(block.act()));
    }

    private static IllegalArgumentException unsupported(Block b) {
        return new IllegalArgumentException("cannot compile block " + b.getClass().getSimpleName());
    }
}
