package org.eseg.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.eseg.util.AtomicFiles;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws {@code curves.png}: training loss, learning rate and validation mIoU against the step. */
public final class TrainingCurves {

    private static final int PANEL_WIDTH = 480;
    private static final int HEIGHT = 360;

    private TrainingCurves() {}

    /**
     * Renders the three panels side by side from the metrics log and writes them atomically.
     *
     * @param lines the metrics log's objects
     * @param file the PNG to write
     * @throws IOException if it cannot be written
     */
    public static void write(List<JsonNode> lines, Path file) throws IOException {
        XYSeries loss = new XYSeries("loss");
        XYSeries lr = new XYSeries("learning rate");
        XYSeries miou = new XYSeries("val mIoU");
        long lastStep = 1;
        for (JsonNode n : lines) {
            long step = n.path("step").asLong();
            lastStep = Math.max(lastStep, step);
            if (n.hasNonNull("loss")) {
                loss.add(step, n.get("loss").asDouble());
            }
            if (n.hasNonNull("lr")) {
                lr.add(step, n.get("lr").asDouble());
            }
            if (n.hasNonNull("miou")) {
                miou.add(step, n.get("miou").asDouble());
            }
        }
        BufferedImage img = new BufferedImage(3 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, 0, chart("Training loss", "loss", loss, new Color(31, 119, 180), lastStep));
            draw(g, 1, chart("Learning rate", "lr", lr, new Color(255, 127, 14), lastStep));
            JFreeChart m = chart("Validation mIoU", "mIoU", miou, new Color(44, 160, 44), lastStep);
            m.getXYPlot().getRangeAxis().setRange(0, 1);
            draw(g, 2, m);
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    private static JFreeChart chart(String title, String yLabel, XYSeries series, Color color, long lastStep) {
        JFreeChart c = ChartFactory.createXYLineChart(title, "step", yLabel,
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = c.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRenderer().setSeriesPaint(0, color);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        // the same step axis on every panel, so that a single validation point sits where it belongs
        org.jfree.chart.axis.NumberAxis steps = (org.jfree.chart.axis.NumberAxis) plot.getDomainAxis();
        steps.setRange(0, lastStep);
        steps.setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        if (series.getItemCount() == 1) {
            // a single point draws no line: show it as a shape
            ((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) plot.getRenderer()).setSeriesShapesVisible(0, true);
        }
        return c;
    }

    private static void draw(Graphics2D g, int panel, JFreeChart chart) {
        chart.draw(g, new java.awt.geom.Rectangle2D.Double(panel * PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT));
    }
}
