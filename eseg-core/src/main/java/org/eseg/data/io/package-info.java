/** Image files: PNG/JPEG decoding to 8-bit RGB (grayscale, alpha, 16-bit and palettes converted), raw mask values (palette indices, not colours), atomic PNG writing. */
package org.eseg.data.io;
