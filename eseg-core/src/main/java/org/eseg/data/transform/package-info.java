/** Joint image and mask augmentation on plain arrays: scale, crop, flip, photometric distortion, normalisation. */
package org.eseg.data.transform;
