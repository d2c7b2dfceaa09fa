package org.eseg.model.pretrained;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eseg.model.layers.BatchNormSpec;

/**
 * The header of a saved backbone-weights file.
 *
 * @param format always {@link #FORMAT}
 * @param backbone the backbone name, e.g. {@code efficientnet-b0}
 * @param batchNormEps the BatchNorm eps the weights were trained with
 * @param source where they came from, e.g. {@code torchvision:efficientnet_b0.safetensors}
 */
public record BackboneWeightsInfo(String format, String backbone, double batchNormEps, String source) {

    /** The format tag of version 1. */
    public static final String FORMAT = "eseg-backbone-weights/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The BatchNorm settings a model must use for these weights (momentum as EfficientNet's).
     *
     * @return BN eps of the weights, momentum 0.01
     */
    public BatchNormSpec batchNorm() {
        return new BatchNormSpec(batchNormEps, BatchNormSpec.EFFICIENTNET.momentum());
    }

    /**
     * Serialises to JSON.
     *
     * @return one JSON object
     */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses JSON written by {@link #toJson()}.
     *
     * @param json the text
     * @return the header
     * @throws IllegalArgumentException if it is not a version-1 header
     */
    public static BackboneWeightsInfo fromJson(String json) {
        BackboneWeightsInfo info;
        try {
            info = JSON.readValue(json, BackboneWeightsInfo.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad backbone weights header: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(info.format())) {
            throw new IllegalArgumentException("not an eseg backbone-weights file (format " + info.format() + ")");
        }
        return info;
    }
}
