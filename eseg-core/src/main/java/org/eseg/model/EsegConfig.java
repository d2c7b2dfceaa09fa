package org.eseg.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.eseg.model.backbone.BackboneConfig;
import org.eseg.model.decoder.DecoderConfig;
import org.eseg.model.decoder.DecoderKind;
import org.eseg.model.layers.BatchNormSpec;

/**
 * Everything needed to rebuild an ESeg network: a plain value that every saved model carries as JSON.
 *
 * @param name the variant's name, e.g. {@code eseg-s}
 * @param numClasses number of output classes
 * @param minLevel the base level the head predicts at (P2..P9)
 * @param maxLevel the highest pyramid level (P2..P9)
 * @param backbone encoder settings
 * @param decoder decoder settings
 * @param batchNorm BatchNorm settings shared by the whole network
 */
public record EsegConfig(
        String name,
        int numClasses,
        int minLevel,
        int maxLevel,
        BackboneConfig backbone,
        DecoderConfig decoder,
        BatchNormSpec batchNorm) {

    /** The lowest level a model may use. */
    public static final int LOWEST_LEVEL = 2;
    /** The highest level a model may use. */
    public static final int HIGHEST_LEVEL = 9;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** Validates the fields. */
    public EsegConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name must not be empty");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("number of classes must be >= 1, got " + numClasses);
        }
        checkLevel("min level", minLevel);
        checkLevel("max level", maxLevel);
        if (minLevel > maxLevel) {
            throw new IllegalArgumentException(
                    "min level P" + minLevel + " is above max level P" + maxLevel);
        }
        if (backbone == null || decoder == null || batchNorm == null) {
            throw new IllegalArgumentException("backbone, decoder and batchNorm are required");
        }
    }

    private static void checkLevel(String what, int level) {
        if (level < LOWEST_LEVEL || level > HIGHEST_LEVEL) {
            throw new IllegalArgumentException(
                    what + " must be in " + LOWEST_LEVEL + ".." + HIGHEST_LEVEL + ", got " + level);
        }
    }

    /**
     * The number of pyramid levels the decoder fuses.
     *
     * @return maxLevel - minLevel + 1
     */
    public int levels() {
        return maxLevel - minLevel + 1;
    }

    /**
     * A copy with another class count.
     *
     * @param classes number of classes
     * @return the new configuration
     */
    public EsegConfig withClasses(int classes) {
        return new EsegConfig(name, classes, minLevel, maxLevel, backbone, decoder, batchNorm);
    }

    /**
     * A copy with other levels.
     *
     * @param min lowest (base) level
     * @param max highest level
     * @return the new configuration
     */
    public EsegConfig withLevels(int min, int max) {
        return new EsegConfig(name, numClasses, min, max, backbone, decoder, batchNorm);
    }

    /**
     * A copy with another decoder kind, keeping width and repeats.
     *
     * @param kind BiFPN or FPN
     * @return the new configuration
     */
    public EsegConfig withDecoderKind(DecoderKind kind) {
        DecoderConfig d = new DecoderConfig(kind, decoder.width(), decoder.repeats());
        return new EsegConfig(name, numClasses, minLevel, maxLevel, backbone, d, batchNorm);
    }

    /**
     * A copy with another backbone.
     *
     * @param b the backbone
     * @return the new configuration
     */
    public EsegConfig withBackbone(BackboneConfig b) {
        return new EsegConfig(name, numClasses, minLevel, maxLevel, b, decoder, batchNorm);
    }

    /**
     * A copy with other BatchNorm settings (e.g. eps 1e-5 for torchvision weights).
     *
     * @param bn the settings
     * @return the new configuration
     */
    public EsegConfig withBatchNorm(BatchNormSpec bn) {
        return new EsegConfig(name, numClasses, minLevel, maxLevel, backbone, decoder, bn);
    }

    /**
     * Serialises to JSON.
     *
     * @return indented JSON
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model configuration", e);
        }
    }

    /**
     * Parses JSON written by {@link #toJson()}.
     *
     * @param json the text
     * @return the configuration
     * @throws IllegalArgumentException if the text is not a valid configuration, saying why
     */
    public static EsegConfig fromJson(String json) {
        try {
            return JSON.readValue(json, EsegConfig.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException(
                    "invalid model configuration: " + cause.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
