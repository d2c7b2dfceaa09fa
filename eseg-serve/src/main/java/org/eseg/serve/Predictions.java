package org.eseg.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.RgbImage;
import org.eseg.data.io.ImageFiles;
import org.eseg.data.io.PixelLimit;
import org.eseg.infer.Colorizer;
import org.eseg.infer.Segmentation;

/**
 * One prediction on a worker thread: decode the upload, segment it, encode the answer. The label and colour PNGs
 * are encoded by the same {@link ImageFiles} calls that {@code eseg predict} writes its files with, so the bytes
 * are the same.
 */
final class Predictions {

    /** What the upload is called in messages. */
    private static final Path UPLOAD = Path.of("uploaded image");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Metrics metrics;

    Predictions(Metrics metrics) {
        this.metrics = metrics;
    }

    /** An answer: its type, bytes and extra headers. */
    record Result(String contentType, byte[] body, Map<String, String> headers) {}

    Result run(ServedModel model, byte[] upload, PredictionQuery q, long arrived) throws IOException {
        long started = System.nanoTime();
        RgbImage image;
        try {
            image = ImageFiles.readRgb(upload, UPLOAD);
        } catch (PixelLimit.Exceeded e) {
            throw ApiError.tooLarge(e.getMessage());
        } catch (DataException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        Segmentation s;
        try {
            s = model.segmenter().segment(image, q.options());
        } catch (OutOfMemoryError e) {
            throw ApiError.tooLarge(String.format(Locale.ROOT, "not enough memory to segment a %dx%d (WxH) image "
                    + "with these options", image.width(), image.height()));
        }
        long segmented = System.nanoTime();
        metrics.image();
        ClassInfo classes = model.segmenter().classes();
        int h = s.height();
        int w = s.width();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Image-Size", w + "x" + h);
        headers.put("X-Inference-Ms", ms(segmented - started));
        return switch (q.output()) {
            case LABELS -> new Result("image/png", ImageFiles.grayPng(h, w, s.labels()), headers);
            case COLOR -> new Result("image/png", ImageFiles.rgbPng(h, w, Colorizer.colorMask(s.labels(), classes)),
                    headers);
            case OVERLAY -> new Result("image/png", ImageFiles.rgbPng(h, w,
                    Colorizer.overlay(image.data(), Colorizer.colorMask(s.labels(), classes), q.alpha())), headers);
            case JSON -> new Result("application/json", json(model, s, q, arrived, started, segmented), headers);
        };
    }

    private static byte[] json(ServedModel model, Segmentation s, PredictionQuery q, long arrived, long started,
            long segmented) throws IOException {
        ClassInfo classes = model.segmenter().classes();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model.name());
        o.put("width", s.width());
        o.put("height", s.height());
        o.put("classes", classes(classes, fractions(s.labels(), classes.size())));
        Base64.Encoder b64 = Base64.getEncoder();
        if (q.embed().contains(PredictionQuery.Output.LABELS)) {
            o.put("labels_png", b64.encodeToString(ImageFiles.grayPng(s.height(), s.width(), s.labels())));
        }
        if (q.embed().contains(PredictionQuery.Output.COLOR)) {
            o.put("color_png", b64.encodeToString(ImageFiles.rgbPng(s.height(), s.width(),
                    Colorizer.colorMask(s.labels(), classes))));
        }
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("queue_ms", Double.parseDouble(ms(started - arrived)));
        timing.put("inference_ms", Double.parseDouble(ms(segmented - started)));
        timing.put("total_ms", Double.parseDouble(ms(System.nanoTime() - arrived)));
        o.put("timing", timing);
        return MAPPER.writeValueAsBytes(o);
    }

    /** The share of the image each class covers. */
    static double[] fractions(byte[] labels, int classes) {
        long[] counts = new long[classes];
        for (byte l : labels) {
            int c = l & 0xFF;
            if (c < classes) {
                counts[c]++;
            }
        }
        double[] f = new double[classes];
        for (int c = 0; c < classes; c++) {
            f[c] = labels.length == 0 ? 0 : counts[c] / (double) labels.length;
        }
        return f;
    }

    /**
     * The classes as JSON objects: index, name, colour ({@code #rrggbb}) and, when given, the fraction.
     *
     * @param classes the classes
     * @param fractions each class's share of the image, or null
     * @return the list
     */
    static List<Map<String, Object>> classes(ClassInfo classes, double[] fractions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", c);
            o.put("name", classes.name(c));
            o.put("color", String.format(Locale.ROOT, "#%06x", classes.color(c) & 0xFFFFFF));
            if (fractions != null) {
                o.put("fraction", Math.round(fractions[c] * 1e6) / 1e6);
            }
            out.add(o);
        }
        return out;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
