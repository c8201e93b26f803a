package dev.jot.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

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
        String text = utf8(body(ctx), "the form body");
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
     * The raw body, at most {@link #MAX_BODY_BYTES}; larger → 413. Before the 413, up to {@link #MAX_SWALLOW_BYTES}
     * of the rest is read and discarded (as Tomcat's {@code maxSwallowSize} and nginx's lingering close do): a
     * client that is still writing its body would otherwise have its connection reset under it and never read the
     * answer. The 413 closes the connection ({@link Problems}). A client that asked {@code Expect: 100-continue}
     * has sent nothing yet and is answered at once: reading would invite the body. Read once and kept on the
     * request: a route may look at the body before the code that parses it does (the body token source, the API
     * key in a login body).
     */
    public static byte[] body(Context ctx) {
        return body(ctx, MAX_BODY_BYTES);
    }

    /** {@link #body(Context)} for a route that takes larger bodies: at most {@code maxBytes}. */
    public static byte[] body(Context ctx, int maxBytes) {
        byte[] read = ctx.attribute(BODY);
        if (read == null) {
            read = readBody(ctx, maxBytes);
            ctx.attribute(BODY, read);
        }
        return read;
    }

    private static byte[] readBody(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw swallowed(ctx, maxBytes);
        }
        try {
            // With a Content-Length (the framing Jetty enforces), read exactly that: a 30-byte form then costs a
            // 30-byte array, not the 16 KiB buffer readNBytes starts with for an unknown length. Then read the end
            // of the stream, so that the body counts as finished (ClientPresence waits for that).
            var in = ctx.req().getInputStream();
            byte[] bytes = in.readNBytes(declared >= 0 ? (int) declared : maxBytes + 1);
            if (declared >= 0 && in.read() != -1) {
                throw ServerException.badRequest("the request body is longer than its Content-Length");
            }
            if (bytes.length > maxBytes) {
                throw swallowed(ctx, maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw ServerException.badRequest("the request body could not be read");
        }
    }

    /**
     * The raw body as a stream, for a route that parses a large body as it arrives instead of holding it whole (a
     * 1 MB array is a "humongous" object to G1 at the default heap, and each one costs a collection): at most
     * {@code maxBytes}, larger → 413 as for {@link #body(Context, int)}, whether the Content-Length says so or the
     * bytes do. The reader must read to the end (a JSON parser checking for trailing data does).
     */
    public static InputStream bodyStream(Context ctx, int maxBytes) {
        byte[] read = ctx.attribute(BODY);
        if (read != null) {
            return new ByteArrayInputStream(read);
        }
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw swallowed(ctx, maxBytes);
        }
        try {
            return new Bounded(ctx.req().getInputStream(), maxBytes, () -> swallowed(ctx, maxBytes));
        } catch (IOException e) {
            throw ServerException.badRequest("the request body could not be read");
        }
    }

    /** A stream that throws {@code tooLarge}'s exception once more than {@code max} bytes came through. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final Supplier<ServerException> tooLarge;
        private long count;

        Bounded(InputStream in, long max, Supplier<ServerException> tooLarge) {
            super(in);
            this.max = max;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            counted(Math.max(n, 0));
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > max) {
                throw tooLarge.get();
            }
        }
    }

    /** Up to 2 MiB of an over-long body is read and dropped so that the client can read its 413. */
    public static final long MAX_SWALLOW_BYTES = 2L * 1024 * 1024;

    private static ServerException swallowed(Context ctx, int maxBytes) {
        String expect = ctx.header("Expect");
        if (expect == null || !expect.equalsIgnoreCase("100-continue")) {
            try {
                byte[] sink = new byte[16 * 1024];
                long left = MAX_SWALLOW_BYTES;
                var in = ctx.req().getInputStream();
                int n;
                while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                    left -= n;
                }
            } catch (IOException e) {
                // the client stopped sending: the 413 goes out anyway
            }
        }
        return tooLarge(maxBytes);
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

    /**
     * One form name or value: {@code +} is a space, {@code %XX} a byte, and the bytes must be UTF-8 (WHATWG URL
     * Standard, application/x-www-form-urlencoded). {@link java.net.URLDecoder} would turn malformed UTF-8 into
     * U+FFFD silently, so that two different passwords could check alike.
     */
    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw ServerException.badRequest("the form body is not valid percent-encoding");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(b, 0, b.length);
            }
        }
        return utf8(bytes.toByteArray(), "a form field");
    }

    /** {@code bytes} as UTF-8, or a 400 naming {@code what}: malformed input is refused, never replaced. */
    public static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ServerException.badRequest(what + " is not valid UTF-8");
        }
    }

    static ServerException tooLarge() {
        return tooLarge(MAX_BODY_BYTES);
    }

    static ServerException tooLarge(int maxBytes) {
        return new ServerException(ServerError.PAYLOAD_TOO_LARGE, "request bodies are limited to " + maxBytes
                + " bytes");
    }
}
