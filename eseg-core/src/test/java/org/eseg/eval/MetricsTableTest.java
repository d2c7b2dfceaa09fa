package org.eseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTableTest {

    @Test
    void formatsPerClassAndSummaryTablesInPercent() {
        // road: IoU 2/3, acc 2/3; sidewalk: IoU 1/3, acc 1/2; sky absent → nan.
        ConfusionMatrix cm = ConfusionMatrix.of(new long[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 0}});
        String text = MetricsTable.format(cm.metrics(), List.of("road", "sidewalk", "sky"));
        String expected = "per class results:\n"
                + "+----------+-------+-------+\n"
                + "| Class    | IoU   | Acc   |\n"
                + "+----------+-------+-------+\n"
                + "| road     | 66.67 | 66.67 |\n"
                + "| sidewalk | 33.33 | 50.00 |\n"
                + "| sky      |  0.00 |   nan |\n"
                + "+----------+-------+-------+\n"
                + "Summary:\n"
                + "+-------+-------+-------+\n"
                + "| aAcc  | mIoU  | mAcc  |\n"
                + "+-------+-------+-------+\n"
                + "| 60.00 | 33.33 | 58.33 |\n"
                + "+-------+-------+-------+\n";
        assertEquals(expected, text);
        assertThrows(IllegalArgumentException.class, () -> MetricsTable.format(cm.metrics(), List.of("a")));
    }

    @Test
    void percentPrintsNaNAsNan() {
        assertEquals("nan", MetricsTable.percent(Double.NaN));
        assertEquals("100.00", MetricsTable.percent(1));
        assertEquals("12.35", MetricsTable.percent(0.123456));
    }
}
