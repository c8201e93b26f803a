package dev.jot.guard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a {@code text/event-stream} as the WHATWG HTML standard's "server-sent events" section says (§9.2.6,
 * "Interpreting an event stream"), incrementally, from whatever chunks the network delivers: UTF-8 with an
 * optional leading BOM; lines end with CRLF, LF or CR; a line starting with {@code :} is a comment; a
 * field's value loses one leading space; {@code data} lines accumulate; an empty line dispatches the event, and
 * only if it has data; an {@code id} containing NUL is ignored; an event cut off by the end of the stream is
 * never dispatched. {@code retry} is read and ignored: the subscriber has its own backoff.
 *
 * <p>Lines and events are capped, so a stream that never ends its line cannot grow without bound.
 */
final class SseStream {

    /** Receives each dispatched event with the last event ID as of its dispatch. */
    @FunctionalInterface
    interface Listener {
        void onEvent(String type, String data, String lastEventId);
    }

    /** A line or an event over the cap: the stream is not one Jot sends, and the connection is dropped. */
    static final class TooLong extends IOException {
        TooLong(int max) {
            super("a line or event longer than " + max + " bytes");
        }
    }

    private final Listener listener;
    private final int max;
    private byte[] line = new byte[256];
    private int length;
    private boolean afterCr;
    private boolean first = true;
    private String eventType = "";
    private final StringBuilder data = new StringBuilder();
    private String lastEventId = "";

    SseStream(Listener listener, int max) {
        this.listener = listener;
        this.max = max;
    }

    void accept(ByteBuffer chunk) throws TooLong {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue; // the LF of a CRLF
                }
            }
            if (b == '\r' || b == '\n') {
                afterCr = b == '\r';
                line(decode());
                length = 0;
                continue;
            }
            if (length == max) {
                throw new TooLong(max);
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(max, line.length * 2));
            }
            line[length++] = b;
        }
    }

    private String decode() {
        int from = 0;
        if (first) {
            first = false;
            if (length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
                from = 3; // a byte order mark opens the stream at most once
            }
        }
        return new String(line, from, length - from, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
    }

    private void line(String l) throws TooLong {
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            return; // a comment: the server's heartbeat
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> {
                if (data.length() + value.length() + 1 > max) {
                    throw new TooLong(max);
                }
                data.append(value).append('\n');
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: ignored, as the standard says for unknown ones
            }
        }
    }

    private void dispatch() {
        if (data.isEmpty()) {
            eventType = "";
            return;
        }
        String type = eventType.isEmpty() ? "message" : eventType;
        String payload = data.substring(0, data.length() - 1);
        data.setLength(0);
        eventType = "";
        listener.onEvent(type, payload, lastEventId);
    }
}
