package org.eseg.ablation;

import java.util.List;
import java.util.Locale;
import org.eseg.util.ImageSize;

/** Prints ablation rows as one table, in the shape of the paper's Table 8 plus our measured columns. */
public final class AblationTable {

    private AblationTable() {}

    /**
     * Formats the rows.
     *
     * @param rows the measured models
     * @param latencyInput the size latency was measured at (for the column title)
     * @return a plain-text table, one line per row after a header
     */
    public static String format(List<AblationRow> rows, ImageSize latencyInput) {
        StringBuilder b = new StringBuilder();
        String latency = "ms @" + latencyInput.height() + "x" + latencyInput.width();
        b.append(String.format(Locale.ROOT, "%-22s %-16s %-24s %7s %9s %10s %12s%n",
                "model", "encoder", "decoder", "mIoU", "params", "GMACs", latency));
        for (AblationRow r : rows) {
            b.append(String.format(Locale.ROOT, "%-22s %-16s %-24s %7s %8.2fM %10.1f %12.1f%n",
                    r.model(), r.encoder(), r.decoder(),
                    Double.isNaN(r.miou()) ? "-" : String.format(Locale.ROOT, "%.4f", r.miou()),
                    r.params() / 1e6, r.macs() / 1e9, r.latencyMs()));
        }
        return b.toString();
    }
}
