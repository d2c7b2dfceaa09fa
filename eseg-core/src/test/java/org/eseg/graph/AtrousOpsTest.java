package org.eseg.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The steps DeepLabV3+ and ResNet-50 add to the graph: concatenation, spreading a pooled map, dilation. */
class AtrousOpsTest {

    private static ConvWeights conv(int out, int in, int stride, int dilation) {
        return new ConvWeights(new float[out * in * 9], null, out, in, 3, stride, dilation, 1, dilation);
    }

    @Test
    void concatenationSumsChannelsAndKeepsTheLevel() {
        GraphBuilder g = new GraphBuilder();
        int a = g.conv(InferenceGraph.INPUT, conv(4, 3, 2, 1));
        int b = g.conv(InferenceGraph.INPUT, conv(6, 3, 2, 1));
        int pooled = g.spreadLike(g.globalAvgPool(a), a);
        int cat = g.concat(a, b, pooled);
        InferenceGraph graph = g.build("cat", 14, g.resizeLike(cat, InferenceGraph.INPUT, true));
        assertEquals(14, graph.channels(cat));
        assertEquals(1, graph.level(cat));
        // a pooled map is spread even though it carries its source's level
        assertEquals(Op.Resize.class, graph.ops().get(3).getClass());
    }

    @Test
    void concatenationOfTwoLevelsIsRefused() {
        GraphBuilder g = new GraphBuilder();
        int a = g.conv(InferenceGraph.INPUT, conv(4, 3, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> g.concat(a, InferenceGraph.INPUT));
        assertThrows(IllegalArgumentException.class, () -> new Op.Concat(new int[] {a}, 5));
    }

    @Test
    void aDilatedConvolutionKeepsTheLevelAndNeedsAPositiveDilation() {
        GraphBuilder g = new GraphBuilder();
        int x = g.conv(InferenceGraph.INPUT, conv(4, 3, 1, 2));
        assertEquals(0, g.level(x));
        assertThrows(IllegalArgumentException.class, () -> conv(4, 3, 1, 0));
    }
}
