package org.eseg.model.pretrained;

import org.eseg.model.backbone.Encoder;

/**
 * An encoder filled from a pretrained file, with the report of what was taken.
 *
 * @param encoder the initialised encoder holding the imported weights
 * @param report what was loaded and left out
 */
public record ImportedBackbone(Encoder encoder, ImportReport report) {}
