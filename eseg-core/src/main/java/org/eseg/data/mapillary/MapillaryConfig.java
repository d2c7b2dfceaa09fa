package org.eseg.data.mapillary;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.LabelDecoder;
import org.eseg.data.io.RawMask;

/**
 * The label list of a Mapillary Vistas release, read from its {@code config_v1.2.json} / {@code config_v2.0.json}
 * (older releases: {@code config.json}): {@code {"labels": [{"name", "readable", "color": [r, g, b], "evaluate"},
 * ...]}}. A mask value is the index of a label in that list. Labels marked {@code "evaluate": false}, and the
 * label read as "Unlabeled", become {@link ClassInfo#IGNORE}; the others become train ids in list order, so v1.2
 * gives 65 classes and v2.0 123.
 */
public final class MapillaryConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClassInfo classes;
    /** Train id of each label index, {@link ClassInfo#IGNORE} for labels that are not evaluated. */
    private final int[] trainIds;
    private final int[] labelColours;

    private MapillaryConfig(ClassInfo classes, int[] trainIds, int[] labelColours) {
        this.classes = classes;
        this.trainIds = trainIds;
        this.labelColours = labelColours;
    }

    /**
     * Reads a config file.
     *
     * @param file the JSON file
     * @return the config
     * @throws DataException naming the file when it cannot be read or has no usable label list
     */
    public static MapillaryConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new DataException(file, "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new DataException(file, "cannot read: " + e.getMessage(), e);
        }
        JsonNode labels = root == null ? null : root.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            throw new DataException(file, "expected a Mapillary Vistas config with a non-empty \"labels\" list");
        }
        if (labels.size() > 256) {
            throw new DataException(file, labels.size() + " labels, but label masks are 8-bit (at most 256 labels)");
        }
        List<String> names = new ArrayList<>();
        List<Integer> colours = new ArrayList<>();
        int[] trainIds = new int[labels.size()];
        int[] labelColours = new int[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            JsonNode l = labels.get(i);
            String name = text(l, "readable", text(l, "name", null));
            JsonNode c = l.get("color");
            if (name == null || c == null || !c.isArray() || c.size() != 3) {
                throw new DataException(file, "label " + i + ": expected a \"name\" or \"readable\" and a "
                        + "\"color\" [r, g, b]");
            }
            int rgb = 0;
            for (JsonNode v : c) {
                if (!v.canConvertToInt() || v.asInt() < 0 || v.asInt() > 255) {
                    throw new DataException(file, "label " + i + " (" + name + "): colour components must be "
                            + "whole numbers 0..255, got " + c);
                }
                rgb = (rgb << 8) | v.asInt();
            }
            labelColours[i] = rgb;
            boolean evaluated = l.path("evaluate").asBoolean(true)
                    && !name.toLowerCase(Locale.ROOT).endsWith("unlabeled");
            trainIds[i] = evaluated ? names.size() : ClassInfo.IGNORE;
            if (evaluated) {
                names.add(name);
                colours.add(rgb);
            }
        }
        if (names.isEmpty()) {
            throw new DataException(file, "every label is marked \"evaluate\": false; nothing to train on");
        }
        if (names.size() >= ClassInfo.IGNORE) {
            throw new DataException(file, names.size() + " evaluated labels; at most 254 are supported");
        }
        int[] packed = colours.stream().mapToInt(Integer::intValue).toArray();
        return new MapillaryConfig(new ClassInfo(names, packed), trainIds, labelColours);
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : fallback;
    }

    /**
     * Returns the evaluated classes in train-id order with the config's colours.
     *
     * @return the classes
     */
    public ClassInfo classes() {
        return classes;
    }

    /**
     * Returns the number of labels in the config, evaluated or not (mask values run from 0 to this minus one).
     *
     * @return the label count
     */
    public int labelCount() {
        return trainIds.length;
    }

    /**
     * The decoder of this release's masks: palette or grey PNGs hold label indices; RGB masks (as some conversion
     * tools write them) are looked up by the labels' colours.
     *
     * @return the decoder
     */
    public LabelDecoder decoder() {
        int[] table = new int[256];
        Arrays.fill(table, -1);
        System.arraycopy(trainIds, 0, table, 0, trainIds.length);
        LabelDecoder byIndex = LabelDecoder.table(table, "label indices 0.." + (trainIds.length - 1)
                + " of the config");
        return raw -> raw.colour() ? byColour(raw) : byIndex.decode(raw);
    }

    private byte[] byColour(RawMask raw) {
        int[] v = raw.values();
        byte[] out = new byte[v.length];
        int lastColour = -1;
        int lastId = -1;
        for (int i = 0; i < v.length; i++) {
            if (v[i] != lastColour) { // masks are runs of one colour: look each run up once
                lastColour = v[i];
                lastId = trainIdOfColour(v[i]);
                if (lastId < 0) {
                    throw new DataException(raw.file(), String.format("colour (%d,%d,%d) at x=%d y=%d is not a "
                            + "label colour of the config", (v[i] >> 16) & 0xFF, (v[i] >> 8) & 0xFF, v[i] & 0xFF,
                            i % raw.width(), i / raw.width()));
                }
            }
            out[i] = (byte) lastId;
        }
        return out;
    }

    private int trainIdOfColour(int rgb) {
        for (int i = 0; i < labelColours.length; i++) {
            if (labelColours[i] == (rgb & 0xFFFFFF)) {
                return trainIds[i];
            }
        }
        return -1;
    }
}
