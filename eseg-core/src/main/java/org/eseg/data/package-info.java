/** Datasets of (image, mask) pairs: {@link org.eseg.data.Dataset}, {@link org.eseg.data.ClassInfo} (names and palette), decoded {@link org.eseg.data.LabeledImage}s, and {@link org.eseg.data.DataException} for bad data. Masks hold train ids 0..n-1 and 255 = ignore. */
package org.eseg.data;
