package dev.jot.guard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bounded {@code GET} (or form {@code POST}): the connection within the connect timeout, the whole response (headers and body)
 * within the read timeout, and at most {@code maxBytes} of body. A body announced larger is refused before a byte
 * of it is read, and one that grows past the cap is cut off there: a broken or hostile server cannot make the
 * guard buffer megabytes or wait forever. Redirects are not followed, so a redirect cannot lead off {@code https}.
 */
final class HttpFetcher implements AutoCloseable {

    record Response(int status, byte[] body, HttpHeaders headers) {
    }

    /** Why a fetch failed, in words fit for a log line (no request content, no secrets). */
    static final class FetchFailure extends Exception {
        FetchFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient client;
    private final Duration readTimeout;
    private final long deadlineMillis;
    private final int maxBytes;

    HttpFetcher(Duration connectTimeout, Duration readTimeout, int maxBytes) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.readTimeout = readTimeout;
        this.deadlineMillis = connectTimeout.plus(readTimeout).toMillis();
        this.maxBytes = maxBytes;
    }

    /** GET {@code uri}; with {@code etag}, conditionally (RFC 9110 §13.1.2), so 304 means "unchanged". */
    Response get(URI uri, String accept, String etag) throws FetchFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", accept).GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        return send(request);
    }

    /**
     * POST of an {@code application/x-www-form-urlencoded} body (an OAuth token request, RFC 6749 §4.4.2), with
     * {@code authorization} as the {@code Authorization} header. Bounded as {@link #get} is.
     */
    Response postForm(URI uri, String form, String authorization) throws FetchFailure {
        return send(HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** POST of a JSON body with {@code authorization} as the {@code Authorization} header. Bounded as {@link #get} is. */
    Response postJson(URI uri, byte[] json, String authorization) throws FetchFailure {
        return send(HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    private Response send(HttpRequest.Builder request) throws FetchFailure {
        CompletableFuture<HttpResponse<byte[]>> response =
                client.sendAsync(request.build(), info -> new CappedBody(maxBytes, info));
        try {
            HttpResponse<byte[]> r = response.get(deadlineMillis, TimeUnit.MILLISECONDS);
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (TimeoutException e) {
            response.cancel(true); // aborts the exchange (JDK 16+): the slow server gets its connection closed
            throw new FetchFailure("no complete response within " + deadlineMillis + " ms");
        } catch (ExecutionException e) {
            throw new FetchFailure(describe(e.getCause()));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchFailure("interrupted");
        }
    }

    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TooLarge) {
                return c.getMessage();
            }
            if (c instanceof HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (c instanceof HttpTimeoutException) {
                return "no response within the read timeout";
            }
            if (c instanceof ConnectException) {
                return "connection refused";
            }
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    /** The body is larger than the cap. */
    static final class TooLarge extends IOException {
        TooLarge(int max) {
            super("response body larger than " + max + " bytes");
        }
    }

    /** Collects at most {@code max} bytes; cancels the exchange, and so stops reading, the moment there are more. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int max;
        private final boolean announcedTooLarge;
        private Flow.Subscription subscription;

        CappedBody(int max, HttpResponse.ResponseInfo info) {
            this.max = max;
            this.announcedTooLarge = info.headers().firstValueAsLong("Content-Length").orElse(-1) > max;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            if (announcedTooLarge) {
                refuse();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (result.isDone()) {
                    return;
                }
                if (out.size() + b.remaining() > max) {
                    refuse();
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.writeBytes(chunk);
            }
        }

        private void refuse() {
            subscription.cancel();
            result.completeExceptionally(new TooLarge(max));
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
