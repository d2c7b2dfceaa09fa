package org.eseg.model.complexity;

import java.util.Map;

/**
 * Size and cost of a model at one input size.
 *
 * @param model the model's name
 * @param height input height
 * @param width input width
 * @param total whole-network figures
 * @param parts figures per top-level part (backbone, decoder, head), in network order
 */
public record ComplexityReport(String model, long height, long width, PartFigures total, Map<String, PartFigures> parts) {}
