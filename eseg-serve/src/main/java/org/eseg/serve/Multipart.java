package org.eseg.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Finds one field of a {@code multipart/form-data} body (RFC 7578), as a browser's form upload sends it. */
final class Multipart {

    private Multipart() {}

    /**
     * The boundary of a multipart content type.
     *
     * @param contentType the Content-Type header
     * @return the boundary, or null when the type is not multipart/form-data
     */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring("boundary=".length());
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (!b.isEmpty()) {
                    return b;
                }
            }
        }
        throw ApiError.badRequest("multipart/form-data without a boundary");
    }

    /**
     * The content of the field with a name.
     *
     * @param body the body
     * @param boundary its boundary
     * @param name the field
     * @return the field's bytes
     * @throws ApiError 400 when the body is malformed or lacks the field
     */
    static byte[] field(byte[] body, String boundary, String name) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length;
            if (headersStart + 2 <= body.length && body[headersStart] == '-' && body[headersStart + 1] == '-') {
                break; // the closing delimiter
            }
            headersStart = skipLineEnd(body, headersStart);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), contentStart);
            if (next < 0) {
                break;
            }
            if (isField(headers, name)) {
                return Arrays.copyOfRange(body, contentStart, next);
            }
            at = next + 2;
        }
        throw ApiError.badRequest("the multipart form has no field '" + name + "'");
    }

    private static boolean isField(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-disposition:") && (l.contains("; name=\"" + name + "\"")
                    || l.contains(";name=\"" + name + "\""))) {
                return true;
            }
        }
        return false;
    }

    private static int skipLineEnd(byte[] b, int i) {
        if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') {
            return i + 2;
        }
        return i;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
