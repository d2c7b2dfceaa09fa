package org.eseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainOptionsTest {

    @Test
    void everyRecordComponentIsDescribedOnceInItsOrder() {
        List<String> components = Arrays.stream(TrainOptions.class.getRecordComponents())
                .map(c -> c.getName()).toList();
        assertEquals(components, TrainOptions.SETTINGS.stream().map(TrainOptions.Setting::key).toList());
    }

    @Test
    void defaultsComeFromTheSettingsAndGiveThePapersRecipe() {
        ObjectNode tree = TrainOptions.merge(TrainOptions.defaults(),
                Map.of("dataset", "cityscapes", "data", "d", "out", "o"));
        TrainOptions o = TrainOptions.fromTree(tree);
        assertEquals(512, o.cropHeight());
        assertEquals(1024, o.cropWidth());
        assertEquals(16, o.batch());
        assertEquals(90000, o.steps());
        assertEquals(0.08, o.lr());
        assertEquals(5e-5, o.weightDecay());
        assertEquals(0.9998, o.emaDecay());
        assertEquals(true, o.ohem());
        assertEquals(null, o.dropPath());
    }
}
