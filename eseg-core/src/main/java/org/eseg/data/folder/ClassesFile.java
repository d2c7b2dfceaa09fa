package org.eseg.data.folder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eseg.data.ClassInfo;
import org.eseg.data.DataException;

/**
 * Reads a class list file ({@code classes.txt}), UTF-8 text (a byte-order mark is allowed) with one class per line
 * in train-id order:
 *
 * <pre>
 * # comment lines and blank lines are ignored
 * road 128,64,128
 * traffic sign 220,220,0
 * sky
 * </pre>
 *
 * The name is the whole line, or everything before a trailing {@code r,g,b} colour (0..255 each; spaces after the
 * commas are allowed). A class without a colour gets one from {@link ClassInfo#defaultPalette}. Colours are needed
 * only for RGB colour masks; two classes must not share a colour. A name cannot contain a comma: a line with one
 * is read as a colour attempt and must end in exactly three numbers, so that {@code sky 70,130,180,5} or
 * {@code sky -1,0,0} is an error rather than a class name; so are three numbers without commas. A line such as
 * {@code sky abc} stays the class name "sky abc", since names may have spaces ({@code traffic sign}).
 */
public final class ClassesFile {

    private ClassesFile() {}

    private static final char BOM = '\uFEFF';

    private static final Pattern COLOUR = Pattern.compile("^(.*?)\\s+(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})$");

    /** Three numbers without commas at the end of a line: a colour written with spaces. */
    private static final Pattern SPACED_COLOUR = Pattern.compile("^.*\\S\\s+[-+]?\\d+\\s+[-+]?\\d+\\s+[-+]?\\d+$");

    private static final String EXPECTED = "expected 'name' or 'name r,g,b' with r, g and b whole numbers 0..255";

    /**
     * Parses a class list file.
     *
     * @param file the file
     * @return the classes
     * @throws DataException if the file is missing or malformed
     */
    public static ClassInfo read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(file, "cannot read the class list: " + (e instanceof java.nio.charset.CharacterCodingException
                    ? "not UTF-8 text" : e.getMessage()), e);
        }
        return parse(lines, file);
    }

    /**
     * Parses class list lines.
     *
     * @param lines the lines
     * @param file the file they came from, for messages
     * @return the classes
     * @throws DataException naming the file and line of the first malformed line
     */
    public static ClassInfo parse(List<String> lines, Path file) {
        List<String> names = new ArrayList<>();
        List<Integer> colours = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String raw = lines.get(ln);
            if (ln == 0 && !raw.isEmpty() && raw.charAt(0) == BOM) {
                raw = raw.substring(1); // editors on Windows write one; it is not part of the first name
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (ln + 1) + ": ";
            Matcher m = COLOUR.matcher(line);
            String name = line;
            Integer colour = null;
            if (m.matches() && !m.group(1).isBlank()) {
                name = m.group(1).strip();
                int r = Integer.parseInt(m.group(2));
                int g = Integer.parseInt(m.group(3));
                int b = Integer.parseInt(m.group(4));
                if (r > 255 || g > 255 || b > 255) {
                    throw new DataException(file, where + "colour components must be 0..255: " + line);
                }
                colour = (r << 16) | (g << 8) | b;
                if (colours.contains(colour)) {
                    throw new DataException(file, where + "colour " + r + "," + g + "," + b
                            + " is used by two classes");
                }
            } else if (line.indexOf(',') >= 0 || SPACED_COLOUR.matcher(line).matches()) {
                throw new DataException(file, where + EXPECTED + " (a name cannot contain a comma), got '"
                        + line + "'");
            }
            if (names.contains(name)) {
                throw new DataException(file, where + "class '" + name + "' is listed twice");
            }
            names.add(name);
            colours.add(colour);
        }
        if (names.isEmpty()) {
            throw new DataException(file, "no classes listed (expected one 'name' or 'name r,g,b' per line)");
        }
        if (names.size() > ClassInfo.IGNORE) {
            throw new DataException(file, "at most 255 classes are supported, found " + names.size());
        }
        int[] defaults = ClassInfo.defaultPalette(names.size() + 64);
        int[] out = new int[names.size()];
        int next = 0;
        for (int i = 0; i < out.length; i++) {
            if (colours.get(i) != null) {
                out[i] = colours.get(i);
                continue;
            }
            while (colours.contains(defaults[next])) {
                next++; // keep generated colours distinct from the given ones
            }
            out[i] = defaults[next++];
        }
        return new ClassInfo(names, out);
    }
}
