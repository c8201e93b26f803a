package dev.jot.guard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A revocation feed the test scripts by hand: each connection the subscriber opens becomes a {@link Stream} the
 * test writes events to (or drops), in the WHATWG event-stream format the Jot server speaks.
 */
final class SseServer implements AutoCloseable {

    /** The headers of one request, as the subscriber sent them. */
    record Request(String authorization, String lastEventId, String accept) {
    }

    /** One open connection. */
    final class Stream {
        final Request request;
        private final BlockingQueue<String> out = new LinkedBlockingQueue<>();

        private Stream(Request request) {
            this.request = request;
        }

        Stream send(String raw) {
            out.add(raw);
            return this;
        }

        Stream reset() {
            return send("event: reset\ndata: {}\n\n");
        }

        Stream ready() {
            return send("event: ready\ndata: {}\n\n");
        }

        Stream deny(long id, String kind, String value, long until) {
            return send("event: deny\nid: " + id + "\ndata: {\"kind\":\"" + kind + "\",\"value\":\"" + value
                    + "\",\"until\":" + until + "}\n\n");
        }

        Stream ping() {
            return send(": ping\n\n");
        }

        /** Closes the connection from the server's side, mid-stream. */
        void drop() {
            out.add(DROP);
        }
    }

    private static final String DROP = "\0drop";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Stream> accepted = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> refusals = new ConcurrentLinkedQueue<>();
    /** Every request, refused ones included, in order. */
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Connections the subscriber closed while the server was still writing. */
    final AtomicInteger hangUps = new AtomicInteger();

    SseServer() throws IOException {
        this(0);
    }

    /** On {@code port}: 0 for any, or the port of a server that has stopped (a restart). */
    SseServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/revocations", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI feed() {
        return URI.create("http://127.0.0.1:" + port() + "/revocations");
    }

    /** The next connection gets {@code status} and no stream. */
    void refuseNext(int status) {
        refusals.add(status);
    }

    /** The next connection the subscriber opens (waiting for it patiently). */
    Stream next() throws InterruptedException {
        Stream s = accepted.poll(Polling.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the subscriber did not connect");
        }
        return s;
    }

    /** Whether a connection is waiting to be taken by {@link #next()}. */
    boolean hasPending() {
        return !accepted.isEmpty();
    }

    private void handle(HttpExchange x) throws IOException {
        Request r = new Request(x.getRequestHeaders().getFirst("Authorization"),
                x.getRequestHeaders().getFirst("Last-Event-ID"), x.getRequestHeaders().getFirst("Accept"));
        requests.add(r);
        Integer refusal = refusals.poll();
        if (refusal != null) {
            x.sendResponseHeaders(refusal, -1);
            x.close();
            return;
        }
        x.getResponseHeaders().add("Content-Type", "text/event-stream");
        x.getResponseHeaders().add("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
        Stream s = new Stream(r);
        accepted.add(s);
        try (OutputStream body = x.getResponseBody()) {
            body.flush(); // the headers now, as an event-stream server does, not with the first event
            while (true) {
                String next = s.out.take();
                if (next.equals(DROP)) {
                    return;
                }
                body.write(next.getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException subscriberLeft) {
            hangUps.incrementAndGet(); // the subscriber closed the connection (a silent stream, or close())
        } finally {
            x.close();
        }
    }

    /** Stops, dropping every open connection: the port is free for a "restarted" server. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(Polling.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
