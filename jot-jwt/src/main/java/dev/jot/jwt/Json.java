package dev.jot.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict JSON that JOSE objects are made of, on Jackson's streaming API.
 *
 * <p>Values are plain Java: {@code Map<String,Object>} (insertion-ordered, unmodifiable), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code Long}, {@code BigInteger}, {@code BigDecimal} and {@code null}.
 * Parsing rejects what RFC 7515 §5.2 and RFC 7519 §7.2 allow us to reject and attackers like to send:
 * duplicate member names, nesting deeper than the limit, trailing content, and anything that is not a
 * JSON object at the top.
 */
public final class Json {

    /** Default maximum nesting depth of a header or claims set (DESIGN rule 6). */
    public static final int DEFAULT_MAX_DEPTH = 16;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(1_000)
                    .maxNumberLength(400)
                    .maxStringLength(1_000_000)
                    .build())
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private Json() {
    }

    /** Parses a JSON object with the default depth limit. */
    public static Map<String, Object> parseObject(String json) {
        return parseObject(json.getBytes(StandardCharsets.UTF_8), DEFAULT_MAX_DEPTH);
    }

    /** Parses UTF-8 bytes that must hold exactly one JSON object, nested at most {@code maxDepth} deep. */
    public static Map<String, Object> parseObject(byte[] utf8, int maxDepth) {
        try (JsonParser p = FACTORY.createParser(utf8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw JwtException.malformed("JSON object expected");
            }
            Map<String, Object> result = readObject(p, 1, maxDepth);
            if (p.nextToken() != null) {
                throw JwtException.malformed("trailing content after JSON object");
            }
            return result;
        } catch (JsonProcessingException e) {
            throw JwtException.malformed("invalid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> readObject(JsonParser p, int depth, int maxDepth) throws IOException {
        if (depth > maxDepth) {
            throw JwtException.malformed("JSON nested deeper than " + maxDepth);
        }
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            Object value = readValue(p, depth, maxDepth);
            if (map.containsKey(name)) {
                // RFC 7515 §5.2 / RFC 7519 §7.2: reject rather than pick one of two values.
                throw JwtException.malformed("duplicate member name");
            }
            map.put(name, value);
        }
        if (t != JsonToken.END_OBJECT) {
            throw JwtException.malformed("invalid JSON object");
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<Object> readArray(JsonParser p, int depth, int maxDepth) throws IOException {
        if (depth > maxDepth) {
            throw JwtException.malformed("JSON nested deeper than " + maxDepth);
        }
        ArrayList<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(p, depth, maxDepth));
        }
        return Collections.unmodifiableList(list);
    }

    private static Object readValue(JsonParser p, int depth, int maxDepth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw JwtException.malformed("truncated JSON");
        }
        return switch (t) {
            case START_OBJECT -> readObject(p, depth + 1, maxDepth);
            case START_ARRAY -> readArray(p, depth + 1, maxDepth);
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT, LONG -> p.getLongValue();
                default -> p.getBigIntegerValue();
            };
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            default -> throw JwtException.malformed("unexpected JSON token");
        };
    }

    /** Serializes a JSON value compactly to UTF-8. */
    public static byte[] writeBytes(Object value) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Serializes a JSON value compactly. */
    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    /** Serializes a JSON value indented for people (the CLI's output). */
    public static String writePretty(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal d -> g.writeNumber(d);
            case Double d -> writeFinite(g, d);
            case Float f -> writeFinite(g, f.doubleValue());
            case Number n -> g.writeNumber(n.longValue());
            case Instant t -> g.writeNumber(t.getEpochSecond());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON member names must be strings");
                    }
                    g.writeFieldName(key);
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object o : c) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeFinite(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no NaN or infinity");
        }
        g.writeNumber(d);
    }
}
