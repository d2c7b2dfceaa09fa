package org.eseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionHeatMapTest {

    @Test
    void cellsShowRowNormalisedCounts(@TempDir Path dir) throws Exception {
        ConfusionMatrix cm = ConfusionMatrix.of(new long[][] {{3, 1}, {0, 0}});
        List<String> names = List.of("road", "sky");
        BufferedImage image = ConfusionHeatMap.render(cm, names);
        int cell = ConfusionHeatMap.CELL;
        int margin = image.getWidth() - 1 - 2 * cell;
        // Sample cell centres: row 0 is 3/4 and 1/4, row 1 (no labels) stays white.
        assertEquals(ConfusionHeatMap.shade(0.75).getRGB(), image.getRGB(margin + cell / 2, margin + cell / 2));
        assertEquals(ConfusionHeatMap.shade(0.25).getRGB(), image.getRGB(margin + cell + cell / 2, margin + cell / 2));
        assertEquals(Color.WHITE.getRGB(), image.getRGB(margin + cell / 2, margin + cell + cell / 2));

        Path file = dir.resolve("cm.png");
        ConfusionHeatMap.writePng(file, cm, names);
        BufferedImage read = ImageIO.read(file.toFile());
        assertNotNull(read);
        assertEquals(image.getWidth(), read.getWidth());
        assertEquals(image.getRGB(margin + 2, margin + 2), read.getRGB(margin + 2, margin + 2));
    }

    @Test
    void shadeRunsFromWhiteToDarkBlue() {
        assertEquals(Color.WHITE, ConfusionHeatMap.shade(0));
        assertEquals(new Color(8, 48, 107), ConfusionHeatMap.shade(1));
    }
}
