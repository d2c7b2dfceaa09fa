package org.eseg.data.folder;

import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;
import org.eseg.data.LabelDecoder;
import org.eseg.data.io.RawMask;

/**
 * Decodes the masks of a user's folder in any of three encodings:
 * <ul>
 *   <li>8-bit grayscale PNG: each value is a train id (0..classes-1) or 255 (ignore);</li>
 *   <li>palette PNG: the palette indices are read as train ids (the palette's colours are not looked at);</li>
 *   <li>RGB PNG: each colour is looked up in the class colours. Black (0,0,0) and white (255,255,255) mean ignore
 *       unless a class uses that colour; any other unknown colour is an error naming the file and colour.</li>
 * </ul>
 */
public final class FolderMaskDecoder implements LabelDecoder {

    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xFFFFFF;

    private final ClassInfo classes;
    private final LabelDecoder indexDecoder;

    /**
     * Creates the decoder.
     *
     * @param classes the classes and colours
     */
    public FolderMaskDecoder(ClassInfo classes) {
        this.classes = classes;
        this.indexDecoder = LabelDecoder.identity(classes.size());
    }

    @Override
    public byte[] decode(RawMask raw) {
        if (!raw.colour()) {
            return indexDecoder.decode(raw);
        }
        int[] v = raw.values();
        byte[] out = new byte[v.length];
        int lastColour = -1;
        int lastId = -1;
        for (int i = 0; i < v.length; i++) {
            int c = v[i];
            if (c != lastColour) { // masks are mostly runs of one colour: skip the lookup
                lastColour = c;
                lastId = classes.classOfColor(c);
                if (lastId < 0) {
                    if (c == BLACK || c == WHITE) {
                        lastId = ClassInfo.IGNORE;
                    } else {
                        throw new DataException(raw.file(), String.format(
                                "colour (%d,%d,%d) at x=%d y=%d is not a class colour of the class list",
                                (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, i % raw.width(), i / raw.width()));
                    }
                }
            }
            out[i] = (byte) lastId;
        }
        return out;
    }
}
