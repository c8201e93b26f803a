package dev.jot.jwt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON values (the same plain Java model {@link JsonReader} produces) as UTF-8: compact for tokens,
 * indented for people. Strings are escaped per RFC 8259 §7; a lone surrogate is written as a {@code \\u}
 * escape so output is always valid UTF-8.
 */
final class JsonWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;
    private final boolean pretty;

    private JsonWriter(int capacity, boolean pretty) {
        this.buf = new byte[capacity];
        this.pretty = pretty;
    }

    static byte[] write(Object value, boolean pretty) {
        JsonWriter w = new JsonWriter(256, pretty);
        w.value(value, 0);
        return Arrays.copyOf(w.buf, w.len);
    }

    private void value(Object value, int indent) {
        // An instanceof chain in order of frequency: a type-pattern switch dispatches through a bootstrap
        // that costs more than these checks on the signing hot path.
        if (value instanceof String s) {
            string(s);
        } else if (value instanceof Long l) {
            number(l);
        } else if (value instanceof Map<?, ?> m) {
            object(m, indent);
        } else if (value instanceof Collection<?> c) {
            array(c, indent);
        } else if (value instanceof Boolean b) {
            ascii(b ? "true" : "false");
        } else if (value == null) {
            ascii("null");
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            number(((Number) value).longValue());
        } else if (value instanceof BigInteger || value instanceof BigDecimal) {
            ascii(value.toString());
        } else if (value instanceof Double d) {
            finite(d);
        } else if (value instanceof Float f) {
            finite(f.doubleValue());
        } else if (value instanceof Instant t) {
            number(t.getEpochSecond());
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private void object(Map<?, ?> m, int indent) {
        byte1('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON member names must be strings");
            }
            if (!first) {
                byte1(',');
            }
            first = false;
            newline(indent + 1);
            string(key);
            byte1(':');
            if (pretty) {
                byte1(' ');
            }
            value(e.getValue(), indent + 1);
        }
        if (!first) {
            newline(indent);
        }
        byte1('}');
    }

    private void array(Collection<?> c, int indent) {
        byte1('[');
        boolean first = true;
        for (Object o : c) {
            if (!first) {
                byte1(',');
            }
            first = false;
            newline(indent + 1);
            value(o, indent + 1);
        }
        if (!first) {
            newline(indent);
        }
        byte1(']');
    }

    private void newline(int indent) {
        if (pretty) {
            byte1('\n');
            for (int i = 0; i < indent; i++) {
                byte1(' ');
                byte1(' ');
            }
        }
    }

    /** Writes a long's decimal digits straight into the buffer (no intermediate String). */
    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) {
            digits++;
        }
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
    }

    private void finite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no NaN or infinity");
        }
        ascii(Double.toString(d));
    }

    private void string(String s) {
        int n = s.length();
        ensure(n + 2);
        int p = len;
        buf[p++] = '"';
        int i = 0;
        // Fast path: printable ASCII needing no escape, one byte per char.
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            buf[p++] = (byte) c;
        }
        len = p;
        if (i < n) {
            ensure((n - i) * 6 + 1); // worst case: every remaining char a six-byte unicode escape
            encodeRest(s, i, n);
        }
        buf[len++] = '"';
    }

    private void encodeRest(String s, int from, int n) {
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[len++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | c >> 6);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[len++] = (byte) (0xf0 | cp >> 18);
                buf[len++] = (byte) (0x80 | cp >> 12 & 0x3f);
                buf[len++] = (byte) (0x80 | cp >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | cp & 0x3f);
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                buf[len++] = (byte) (0xe0 | c >> 12);
                buf[len++] = (byte) (0x80 | c >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            }
        }
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> twoBytes('\\', '"');
            case '\\' -> twoBytes('\\', '\\');
            case '\n' -> twoBytes('\\', 'n');
            case '\r' -> twoBytes('\\', 'r');
            case '\t' -> twoBytes('\\', 't');
            case '\b' -> twoBytes('\\', 'b');
            case '\f' -> twoBytes('\\', 'f');
            default -> unicodeEscape(c);
        }
    }

    private void twoBytes(char a, char b) {
        buf[len++] = (byte) a;
        buf[len++] = (byte) b;
    }

    private void unicodeEscape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[c >> 12 & 0xf];
        buf[len++] = HEX[c >> 8 & 0xf];
        buf[len++] = HEX[c >> 4 & 0xf];
        buf[len++] = HEX[c & 0xf];
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, buf, len); // ASCII only: numbers and literals
        len += n;
    }

    private void byte1(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
