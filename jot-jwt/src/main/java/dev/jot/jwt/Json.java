package dev.jot.jwt;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The strict JSON that JOSE objects are made of.
 *
 * <p>Values are plain Java: {@code Map<String,Object>} (insertion-ordered, unmodifiable), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code Long}, {@code BigInteger}, {@code BigDecimal} and {@code null}.
 * Parsing rejects what RFC 7515 §5.2 and RFC 7519 §7.2 allow us to reject and attackers like to send:
 * duplicate member names, nesting deeper than the limit, trailing content, invalid UTF-8, and anything that
 * is not a JSON object at the top. See {@link JsonReader} for the exact rules.
 */
public final class Json {

    /** Default maximum nesting depth of a header or claims set (DESIGN rule 6). */
    public static final int DEFAULT_MAX_DEPTH = 16;

    private Json() {
    }

    /** Parses a JSON object with the default depth limit. */
    public static Map<String, Object> parseObject(String json) {
        return parseObject(json.getBytes(StandardCharsets.UTF_8), DEFAULT_MAX_DEPTH);
    }

    /** Parses UTF-8 bytes that must hold exactly one JSON object, nested at most {@code maxDepth} deep. */
    public static Map<String, Object> parseObject(byte[] utf8, int maxDepth) {
        return JsonReader.parseObject(utf8, 0, utf8.length, maxDepth);
    }

    /** Serializes a JSON value compactly to UTF-8. */
    public static byte[] writeBytes(Object value) {
        return JsonWriter.write(value, false);
    }

    /** Serializes a JSON value compactly. */
    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    /** Serializes a JSON value indented for people (the CLI's output). */
    public static String writePretty(Object value) {
        return new String(JsonWriter.write(value, true), StandardCharsets.UTF_8);
    }
}
