package dev.jot.guard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real issuer on a random loopback port: an OpenID Connect discovery document and a JWK set, both of which the
 * test can make misbehave. It counts what it was asked, so tests can say "exactly one refetch".
 */
final class JwksServer implements AutoCloseable {

    /** What the key set endpoint answers next. */
    sealed interface Answer {
    }

    /** The keys, with optional {@code Cache-Control} and {@code ETag} (a matching If-None-Match gets a 304). */
    record Keys(Jwks jwks, String cacheControl, String etag) implements Answer {
    }

    /** A status and body, as they are. */
    record Raw(int status, String contentType, byte[] body, boolean announceLength) implements Answer {
    }

    /** Blocks until {@link #release()} (or the server closes): a server slower than any read timeout. */
    record Stall() implements Answer {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String issuer;
    private volatile String discoveryIssuer;
    private volatile String jwksUri;
    private volatile Answer answer;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch stalls = new CountDownLatch(1);
    final AtomicInteger discoveryRequests = new AtomicInteger();
    final AtomicInteger keyRequests = new AtomicInteger();
    /** Responses the client stopped reading before their end. */
    final AtomicInteger hangUps = new AtomicInteger();
    /** The If-None-Match of each key set request (null when absent). */
    final List<String> conditions = new CopyOnWriteArrayList<>();

    JwksServer(Jwk... publicKeys) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        discoveryIssuer = issuer;
        jwksUri = issuer + "/jwks";
        answer = new Keys(Jwks.of(publicKeys), null, null);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", this::keys);
        server.start();
    }

    String issuer() {
        return issuer;
    }

    void answer(Answer next) {
        this.answer = next;
    }

    void keys(Jwk... publicKeys) {
        answer(new Keys(Jwks.of(publicKeys), null, null));
    }

    void keys(String cacheControl, String etag, Jwk... publicKeys) {
        answer(new Keys(Jwks.of(publicKeys), cacheControl, etag));
    }

    void discoveryNames(String otherIssuer) {
        this.discoveryIssuer = otherIssuer;
    }

    void discoveryPointsTo(String uri) {
        this.jwksUri = uri;
    }

    /** Key set requests wait until {@link #open()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    void release() {
        stalls.countDown();
    }

    private void discovery(HttpExchange x) throws IOException {
        discoveryRequests.incrementAndGet();
        String doc = "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + jwksUri
                + "\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
        send(x, 200, "application/json", doc.getBytes(StandardCharsets.UTF_8), true);
    }

    private void keys(HttpExchange x) throws IOException {
        keyRequests.incrementAndGet();
        String condition = x.getRequestHeaders().getFirst("If-None-Match");
        conditions.add(String.valueOf(condition));
        try {
            gate.await();
            switch (answer) {
                case Keys k -> {
                    if (k.cacheControl() != null) {
                        x.getResponseHeaders().add("Cache-Control", k.cacheControl());
                    }
                    if (k.etag() != null) {
                        x.getResponseHeaders().add("ETag", k.etag());
                        if (k.etag().equals(condition)) {
                            x.sendResponseHeaders(304, -1);
                            x.close();
                            return;
                        }
                    }
                    send(x, 200, "application/jwk-set+json", k.jwks().toPublic().toJson().getBytes(StandardCharsets.UTF_8), true);
                }
                case Raw r -> send(x, r.status(), r.contentType(), r.body(), r.announceLength());
                case Stall s -> {
                    stalls.await();
                    x.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.close();
        }
    }

    private void send(HttpExchange x, int status, String type, byte[] body, boolean announceLength) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, announceLength ? body.length : 0);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        } catch (IOException clientHungUp) {
            hangUps.incrementAndGet(); // the guard refused the body and closed the connection
        }
    }

    /** Stops answering: connections are refused from now on. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        release();
        open();
        server.stop(0);
        threads.shutdownNow();
    }
}
