package dev.jot.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test's Server-Sent Events reader: connects, and hands out events (and comments) as they arrive. */
final class SseStream implements AutoCloseable {
    /** One event: its type, id (null when none) and data; or a comment ({@code type} ":"). */
    record Event(String type, String id, String data) {
    }

    final int status;
    final String contentType;
    final java.net.http.HttpHeaders headers;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseStream(HttpResponse<InputStream> r) {
        this.status = r.statusCode();
        this.contentType = r.headers().firstValue("Content-Type").orElse("");
        this.headers = r.headers();
        this.body = r.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseStream open(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return new SseStream(HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String type = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() || !type.equals("message")) {
                        events.add(new Event(type, id, data.toString()));
                    }
                    type = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    events.add(new Event(":", null, line.substring(1).strip()));
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed by the test or the server: the events read so far stay
        }
    }

    /** The next event, failing after {@code timeout}. */
    Event next(Duration timeout) {
        try {
            Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + timeout.toMillis() + " ms");
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Events up to and including the first of {@code type}. */
    List<Event> until(String type, Duration timeout) {
        List<Event> seen = new ArrayList<>();
        while (true) {
            Event e = next(timeout);
            seen.add(e);
            if (e.type().equals(type)) {
                return seen;
            }
        }
    }

    /** Whether the server ended the stream within {@code timeout}. */
    boolean ended(Duration timeout) {
        try {
            return reader.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whatever has arrived so far, without waiting. */
    List<Event> drain() {
        List<Event> now = new ArrayList<>();
        events.drainTo(now);
        return now;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // closing a stream the server may have closed already
        }
        reader.interrupt();
    }
}
