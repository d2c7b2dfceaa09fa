/** Image files: PNG/JPEG decoding to 8-bit RGB (grayscale, alpha, 16-bit and palettes converted) after a header size check against the pixel limit, raw mask values (palette indices, not colours), network input tensors, atomic PNG writing. */
package org.eseg.data.io;
