package org.eseg.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eseg.infer.InferenceOptions;
import org.eseg.infer.SlidingWindow;
import org.eseg.util.ImageSize;

/**
 * The query of {@code POST /predictions/{model}}: what to answer with and how to segment, as {@code eseg predict}
 * takes it ({@code scales}, {@code flip}, {@code mode=slide} with {@code window} and {@code stride}).
 *
 * @param output what the response holds
 * @param options scales, flip and window
 * @param alpha the mask weight of an overlay
 * @param embed for {@code output=json}: the PNGs to include as base64 ({@code labels}, {@code color})
 */
record PredictionQuery(Output output, InferenceOptions options, double alpha, Set<Output> embed) {

    /** The kinds of answer. */
    enum Output {
        /** An 8-bit PNG of class indices at the input's size (the default), as {@code eseg predict} writes. */
        LABELS,
        /** The palette's colours as an RGB PNG. */
        COLOR,
        /** The colour mask blended over the image as an RGB PNG. */
        OVERLAY,
        /** Per-class pixel fractions and timing. */
        JSON
    }

    private static final Set<String> KEYS = Set.of("output", "scales", "flip", "mode", "window", "stride", "alpha",
            "embed");

    /**
     * Parses a raw query string.
     *
     * @param raw the query, or null
     * @return the query
     * @throws ApiError 400 naming the bad parameter
     */
    static PredictionQuery parse(String raw) {
        Map<String, String> q = params(raw);
        for (String k : q.keySet()) {
            if (!KEYS.contains(k)) {
                throw ApiError.badRequest("unknown query parameter '" + k + "' (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        Output output = output(q.getOrDefault("output", "labels"), "output");
        List<Double> scales = List.of(1.0);
        if (q.containsKey("scales")) {
            scales = new ArrayList<>();
            for (String s : q.get("scales").split(",")) {
                scales.add(number(s, "scales"));
            }
        }
        boolean flip = flag(q.getOrDefault("flip", "false"));
        SlidingWindow window = window(q);
        double alpha = q.containsKey("alpha") ? number(q.get("alpha"), "alpha") : 0.5;
        if (!(alpha >= 0 && alpha <= 1)) {
            throw ApiError.badRequest("alpha must be in [0, 1], got " + q.get("alpha"));
        }
        Set<Output> embed = new java.util.TreeSet<>();
        if (q.containsKey("embed")) {
            for (String e : q.get("embed").split(",")) {
                Output o = output(e, "embed");
                if (o != Output.LABELS && o != Output.COLOR) {
                    throw ApiError.badRequest("embed takes labels and color, got '" + e + "'");
                }
                embed.add(o);
            }
        }
        try {
            return new PredictionQuery(output, new InferenceOptions(scales, flip, window), alpha, Set.copyOf(embed));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("scales: " + e.getMessage());
        }
    }

    private static SlidingWindow window(Map<String, String> q) {
        String mode = q.getOrDefault("mode", "whole");
        if (mode.equals("whole")) {
            if (q.containsKey("window") || q.containsKey("stride")) {
                throw ApiError.badRequest("window and stride need mode=slide");
            }
            return null;
        }
        if (!mode.equals("slide")) {
            throw ApiError.badRequest("mode must be whole or slide, got '" + mode + "'");
        }
        if (!q.containsKey("window")) {
            throw ApiError.badRequest("mode=slide needs window=HxW");
        }
        ImageSize w = size(q.get("window"), "window");
        ImageSize s = q.containsKey("stride") ? size(q.get("stride"), "stride")
                : new ImageSize(Math.max(1, w.height() * 2 / 3), Math.max(1, w.width() * 2 / 3));
        try {
            return new SlidingWindow(w.height(), w.width(), s.height(), s.width());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("window: " + e.getMessage());
        }
    }

    private static ImageSize size(String v, String name) {
        try {
            return ImageSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(name + ": " + e.getMessage());
        }
    }

    private static Output output(String v, String name) {
        for (Output o : Output.values()) {
            if (o.name().equalsIgnoreCase(v)) {
                return o;
            }
        }
        throw ApiError.badRequest(name + " must be labels, color, overlay or json, got '" + v + "'");
    }

    private static double number(String v, String name) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a number, got '" + v + "'");
        }
    }

    private static boolean flag(String v) {
        return switch (v) {
            case "", "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw ApiError.badRequest("flip must be true or false, got '" + v + "'");
        };
    }

    /** The parameters of a query string; a parameter given twice is an error rather than a silent choice. */
    static Map<String, String> params(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("malformed query: " + e.getMessage());
            }
            if (q.put(k, v) != null) {
                throw ApiError.badRequest("query parameter '" + k + "' given twice");
            }
        }
        return q;
    }
}
