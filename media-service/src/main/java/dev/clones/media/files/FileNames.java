package dev.clones.media.files;

import dev.clones.common.error.ApiProblem;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The names users give their files. A name is only ever a label (objects are stored under generated ids),
 * but it ends up in listings, in download headers and on other people's disks, so anything that could act
 * as a path or hide text is refused rather than silently rewritten: the client learns what is wrong.
 */
public final class FileNames {

    /** The usual limit of file systems for one name, in UTF-8 bytes. */
    public static final int MAX_BYTES = 255;

    private FileNames() {
    }

    /**
     * Reads {@code X-File-Name}: percent-encoded UTF-8 (RFC 3986, as {@code encodeURIComponent} produces), so
     * that any name fits in an HTTP header; raw UTF-8 bytes are accepted as well.
     */
    public static String fromHeader(String header) {
        if (header == null) {
            throw ApiProblem.badRequest("The header X-File-Name is required: the file's name, percent-encoded UTF-8.");
        }
        return validate(percentDecode(rawUtf8(header)));
    }

    /** The name if it is acceptable; otherwise a 400 saying why. */
    public static String validate(String name) {
        if (name == null || name.isBlank()) {
            throw ApiProblem.badRequest("The file name is empty.");
        }
        String stripped = name.strip();
        if (stripped.indexOf('/') >= 0 || stripped.indexOf('\\') >= 0) {
            throw ApiProblem.badRequest("The file name must not contain path separators ('/' or '\\').");
        }
        if (stripped.contains("..") || stripped.equals(".")) {
            throw ApiProblem.badRequest("The file name must not be '.' or contain '..'.");
        }
        for (int i = 0; i < stripped.length(); ) {
            int c = stripped.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED) {
                throw ApiProblem.badRequest("The file name contains a control, formatting or invalid character (U+"
                        + String.format("%04X", c) + ").");
            }
            i += Character.charCount(c);
        }
        int bytes = stripped.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw ApiProblem.badRequest("The file name has " + bytes + " bytes in UTF-8; at most " + MAX_BYTES + " are allowed.");
        }
        return stripped;
    }

    /** {@code attachment} with the name, readable by old and new browsers alike (RFC 6266). */
    public static String contentDisposition(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(name);
    }

    /** Header values arrive as ISO-8859-1 characters; a client that sent raw UTF-8 meant UTF-8. */
    private static String rawUtf8(String header) {
        byte[] bytes = new byte[header.length()];
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c > 0xff) {
                return header;
            }
            bytes[i] = (byte) c;
        }
        return strictUtf8(bytes).orElse(header);
    }

    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] != '%') {
                out.write(utf8[i]);
                continue;
            }
            if (i + 2 >= utf8.length || Character.digit(utf8[i + 1], 16) < 0 || Character.digit(utf8[i + 2], 16) < 0) {
                throw ApiProblem.badRequest("X-File-Name is not valid percent-encoding: write '%' as %25.");
            }
            out.write(Character.digit(utf8[i + 1], 16) * 16 + Character.digit(utf8[i + 2], 16));
            i += 2;
        }
        return strictUtf8(out.toByteArray()).orElseThrow(() ->
                ApiProblem.badRequest("X-File-Name does not decode to valid UTF-8."));
    }

    private static java.util.Optional<String> strictUtf8(byte[] bytes) {
        try {
            return java.util.Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
    }

    private static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
