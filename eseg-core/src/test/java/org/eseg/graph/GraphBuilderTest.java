package org.eseg.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    @Test
    void aBlockThatCannotDescribeItsInferenceIsNamed() {
        GraphBuilder g = new GraphBuilder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.compile(Linear.builder().setUnits(3).build(), InferenceGraph.INPUT));
        assertTrue(e.getMessage().contains("Linear"), e.getMessage());
    }

    @Test
    void aCompilableBlockAppendsItsOwnOpsAndPoolingGoesOneLevelUp() {
        // A block outside the model packages: two pools down and a nearest resize back, summed.
        CompilableBlock block = (g, in) -> {
            int down = g.pool(g.pool(in[0], false), true);
            return new int[] {g.weightedSum(new int[] {in[0], g.resizeLike(down, in[0], false)},
                    new float[] {0.5f, 0.5f})};
        };
        GraphBuilder g = new GraphBuilder();
        int[] out = block.compile(g, InferenceGraph.INPUT);
        InferenceGraph graph = g.build("test", 3, out[0]);
        assertEquals(4, graph.ops().size());
        Op.Pool first = (Op.Pool) graph.ops().get(0);
        assertEquals(1, graph.level(first.output()));
        assertEquals(2, graph.level(graph.ops().get(1).output()));
        assertEquals(0, graph.level(graph.output()));
        assertThrows(IllegalArgumentException.class, () -> g.build("test", 3, first.output()),
                "logits must be at level 0");
    }
}
