/**
 * The Mapillary Vistas layout: classes and colours from the dataset's own {@code config_<version>.json}, masks as
 * palette PNGs of label ids; labels the config does not evaluate ("Unlabeled") are ignored.
 */
package org.eseg.data.mapillary;
