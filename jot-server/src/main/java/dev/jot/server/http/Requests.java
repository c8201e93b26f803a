package dev.jot.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads request bodies within the size cap and turns every kind of bad input into a 4xx {@link ServerException}. */
public final class Requests {
    /** Largest accepted request body: far above any credential, far below what could hurt the server. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String BODY = "jot.body";

    private Requests() {
    }

    /** The media type without parameters, lower-cased; empty when absent. */
    public static String mediaType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isJson(Context ctx) {
        String mt = mediaType(ctx);
        return mt.equals("application/json") || (mt.startsWith("application/") && mt.endsWith("+json"));
    }

    public static boolean isForm(Context ctx) {
        return mediaType(ctx).equals("application/x-www-form-urlencoded");
    }

    public static ServerException unsupportedMediaType(String expected) {
        return new ServerException(ServerError.UNSUPPORTED_MEDIA_TYPE, "expected a body of type " + expected)
                .withArgument(expected);
    }

    /** The body as one JSON object; 415 for another content type. */
    public static ObjectNode jsonObject(Context ctx) {
        if (!isJson(ctx)) {
            throw unsupportedMediaType("application/json");
        }
        return JsonCodec.parseObject(body(ctx));
    }

    /** The body as {@code application/x-www-form-urlencoded} fields; a repeated field is ambiguous → 400. */
    public static Map<String, String> form(Context ctx) {
        String text = new String(body(ctx), StandardCharsets.UTF_8);
        Map<String, String> fields = new HashMap<>();
        if (text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (fields.put(name, value) != null) {
                throw ServerException.badRequest("form field '" + name + "' is repeated");
            }
        }
        return fields;
    }

    /**
     * The raw body, at most {@link #MAX_BODY_BYTES}; larger → 413 without reading the rest. Read once and kept on
     * the request: a route may look at the body before the code that parses it does (the body token source, the
     * API key in a login body).
     */
    public static byte[] body(Context ctx) {
        byte[] read = ctx.attribute(BODY);
        if (read == null) {
            read = readBody(ctx);
            ctx.attribute(BODY, read);
        }
        return read;
    }

    private static byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            // With a Content-Length (the framing Jetty enforces), read exactly that: a 30-byte form then costs a
            // 30-byte array, not the 16 KiB buffer readNBytes starts with for an unknown length.
            byte[] bytes = ctx.req().getInputStream().readNBytes(declared >= 0 ? (int) declared : MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ServerException.badRequest("the request body could not be read");
        }
    }

    /** A required string member; missing or of another JSON type → 400 naming the field. */
    public static String requiredString(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            throw ServerException.badRequest("missing field '" + name + "'");
        }
        if (!n.isTextual()) {
            throw ServerException.badRequest("field '" + name + "' must be a string");
        }
        return n.textValue();
    }

    public static String requiredField(Map<String, String> form, String name) {
        String v = form.get(name);
        if (v == null) {
            throw ServerException.badRequest("missing field '" + name + "'");
        }
        return v;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ServerException.badRequest("the form body is not valid percent-encoding");
        }
    }

    static ServerException tooLarge() {
        return new ServerException(ServerError.PAYLOAD_TOO_LARGE, "request bodies are limited to " + MAX_BODY_BYTES
                + " bytes");
    }
}
