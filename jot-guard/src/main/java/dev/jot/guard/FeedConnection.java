package dev.jot.guard;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One connection of a {@link RemoteRevocations} subscriber: judges the response (an event stream, a refused
 * token, anything else), reads the stream into events, and can be dropped from any thread. Events are handed to
 * the {@link Listener} with {@code lock} held, and never after {@link #drop}: so once the subscriber has seen the
 * connection end, nothing from it changes the denylist any more.
 */
final class FeedConnection implements HttpResponse.BodySubscriber<Void> {

    /** What the subscriber hears from a connection. */
    interface Listener {
        /** The server answered with an event stream. */
        void connected(boolean resumed);

        /** Bytes arrived (an event or a heartbeat). */
        void received();

        void onEvent(String type, String data, String id);
    }

    private final boolean resumed;
    private final Object lock;
    private final Listener listener;
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private final SseStream events;
    private volatile Flow.Subscription subscription;
    private volatile boolean dropped;
    volatile CompletableFuture<?> exchange;
    volatile boolean streaming;
    volatile boolean delivered;
    volatile String why;

    FeedConnection(boolean resumed, Object lock, Listener listener, int maxLine) {
        this.resumed = resumed;
        this.lock = lock;
        this.listener = listener;
        this.events = new SseStream(this::onEvent, maxLine);
    }

    /** The body handler: an event stream is read; any other answer is noted and its body left unread. */
    HttpResponse.BodySubscriber<Void> subscriber(HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (status == 200 && type.startsWith("text/event-stream")) {
            streaming = true;
            listener.connected(resumed);
        } else if (status == 401 || status == 403) {
            why = "refused the bearer token (HTTP " + status + ")";
        } else {
            why = "answered HTTP " + status + (status == 200 ? " without an event stream" : "");
        }
        return this;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (!streaming || dropped) {
            s.cancel(); // an error body is not read
            body.complete(null);
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> chunks) {
        if (dropped) {
            return;
        }
        listener.received();
        delivered = true;
        try {
            for (ByteBuffer b : chunks) {
                events.accept(b);
            }
        } catch (SseStream.TooLong e) {
            drop("sent " + e.getMessage());
            return;
        }
        subscription.request(1);
    }

    private void onEvent(String type, String data, String id) {
        synchronized (lock) {
            if (!dropped) {
                listener.onEvent(type, data, id);
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        drop("failed: " + HttpFetcher.describe(t));
    }

    @Override
    public void onComplete() {
        drop("ended the stream");
    }

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    /** Ends this connection; the first reason given is the one reported. Idempotent. */
    void drop(String reason) {
        synchronized (lock) {
            if (why == null) {
                why = reason;
            }
            dropped = true;
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        } else if (exchange != null) {
            exchange.cancel(true); // still waiting for the response headers
        }
        body.complete(null);
    }
}
