package org.eseg.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eseg.infer.runtime.RuntimeKind;
import org.eseg.train.TrainOptions;
import org.eseg.util.ImageSize;
import org.junit.jupiter.api.Test;

class AblationTableTest {

    @Test
    void oneLinePerRowWithTheMeasuredColumns() {
        List<AblationRow> rows = List.of(
                new AblationRow("eseg-s", "efficientnet-b1", "bifpn", 0.8012, 6_866_787, 33_839_019_520L, 24.6,
                        Path.of("a")),
                new AblationRow("r50-dlv3p", "resnet-50", "deeplabv3plus", Double.NaN, 31_064_596,
                        343_612_686_336L, 103.04, Path.of("b")));
        String[] lines = AblationTable.format(rows, new ImageSize(64, 128)).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].contains("mIoU") && lines[0].contains("ms @64x128"), lines[0]);
        assertTrue(lines[1].matches("eseg-s +efficientnet-b1 +bifpn +0\\.8012 +6\\.87M +33\\.8 +24\\.6"), lines[1]);
        assertTrue(lines[2].matches("r50-dlv3p +resnet-50 +deeplabv3plus +- +31\\.06M +343\\.6 +103\\.0"), lines[2]);
    }

    @Test
    void everyRowGetsTheSameTrainingSettings() {
        AblationOptions o = new AblationOptions(Path.of("data"), "cityscapes", Path.of("out"), null, 7, 2,
                new ImageSize(64, 128), 0.01, 0.0, 3, new ImageSize(64, 128), 1, RuntimeKind.ONNX);
        assertEquals(Ablation.TABLE8, o.models());
        var a = Ablation.recipe(o, "eseg-s", Path.of("out/eseg-s")).toTree();
        var b = Ablation.recipe(o, "r50-dlv3p", Path.of("out/r50-dlv3p")).toTree();
        assertEquals("r50-dlv3p", b.get("model").asText());
        a.remove(List.of("model", "out"));
        b.remove(List.of("model", "out"));
        assertEquals(a, b);
        assertEquals(7, a.get("steps").asLong());
        assertEquals(64, a.get("cropHeight").asInt());
        // unset settings keep eseg train's defaults
        AblationOptions defaults = new AblationOptions(Path.of("data"), "cityscapes", Path.of("out"), null, 7, null,
                null, null, null, 3, new ImageSize(64, 128), 1, RuntimeKind.ONNX);
        var d = Ablation.recipe(defaults, "eseg-s", Path.of("out/eseg-s")).toTree();
        var trainDefaults = TrainOptions.defaults();
        for (String key : List.of("batch", "cropHeight", "cropWidth", "lr", "emaDecay")) {
            assertEquals(trainDefaults.get(key), d.get(key), key);
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new AblationOptions(Path.of("d"), "cityscapes",
                Path.of("o"), null, 0, null, null, null, null, 0, new ImageSize(8, 8), 1, RuntimeKind.ONNX));
    }
}
