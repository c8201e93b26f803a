package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The WHATWG event-stream rules, each as a stream and the events it must yield, fed whole and byte by byte. */
class SseStreamTest {

    record Event(String type, String data, String id) {
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                arguments("LF line ends", "event: deny\nid: 7\ndata: {}\n\n", List.of(new Event("deny", "{}", "7"))),
                arguments("CRLF line ends", "event: deny\r\nid: 7\r\ndata: {}\r\n\r\n", List.of(new Event("deny", "{}", "7"))),
                arguments("CR line ends", "event: deny\rid: 7\rdata: {}\r\r", List.of(new Event("deny", "{}", "7"))),
                arguments("a leading BOM", "\uFEFFevent: ready\ndata: {}\n\n", List.of(new Event("ready", "{}", ""))),
                arguments("comments are heartbeats", ": ping\n\n: ping\nevent: ready\ndata: x\n\n", List.of(new Event("ready", "x", ""))),
                arguments("data lines join with LF", "data: a\ndata:b\ndata:  c\n\n", List.of(new Event("message", "a\nb\n c", ""))),
                arguments("no space after the colon", "event:reset\ndata:{}\n\n", List.of(new Event("reset", "{}", ""))),
                arguments("a field name alone is an empty value", "data\n\n", List.of(new Event("message", "", ""))),
                arguments("an event without data is not dispatched", "event: deny\nid: 3\n\ndata: x\n\n",
                        List.of(new Event("message", "x", "3"))),
                arguments("the last id persists", "id: 1\ndata: a\n\ndata: b\n\n",
                        List.of(new Event("message", "a", "1"), new Event("message", "b", "1"))),
                arguments("an id with NUL is ignored", "id: 1\ndata: a\n\nid: 2\u0000\ndata: b\n\n",
                        List.of(new Event("message", "a", "1"), new Event("message", "b", "1"))),
                arguments("retry and unknown fields are ignored", "retry: 10\nfoo: bar\ndata: a\n\n", List.of(new Event("message", "a", ""))),
                arguments("an event cut off by the end is dropped", "data: a\n\ndata: b\n", List.of(new Event("message", "a", ""))),
                arguments("the type resets after dispatch", "event: deny\ndata: a\n\ndata: b\n\n",
                        List.of(new Event("deny", "a", ""), new Event("message", "b", ""))),
                arguments("UTF-8 values", "data: Zoë ✓\n\n", List.of(new Event("message", "Zoë ✓", ""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void aStreamYieldsTheEventsTheStandardSays(String name, String stream, List<Event> expected) throws Exception {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<Event> whole = new ArrayList<>();
        new SseStream((t, d, id) -> whole.add(new Event(t, d, id)), 1024).accept(ByteBuffer.wrap(bytes));
        assertThat(whole).isEqualTo(expected);

        List<Event> byteByByte = new ArrayList<>();
        SseStream s = new SseStream((t, d, id) -> byteByByte.add(new Event(t, d, id)), 1024);
        for (byte b : bytes) {
            s.accept(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(byteByByte).as("split across every byte, CRLF and UTF-8 included").isEqualTo(expected);
    }

    @Test
    void aLineOrAnEventOverTheCapIsRefused() {
        SseStream line = new SseStream((t, d, id) -> { }, 16);
        assertThatThrownBy(() -> line.accept(ByteBuffer.wrap("data: 0123456789abcdef".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SseStream.TooLong.class);
        SseStream event = new SseStream((t, d, id) -> { }, 16);
        assertThatThrownBy(() -> event.accept(ByteBuffer.wrap("data: 01234\ndata: 56789\ndata: abcde\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SseStream.TooLong.class);
    }
}
