package dev.jot.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A tiny JDK HTTP client bound to one server. The clients of one server share a connection pool, which
 * {@link #disconnect} closes: a test does so before it stops the server, which otherwise waits (Jetty's shutdown idle
 * timeout, 1 s) for the pool's idle keep-alive connections, as it would for any client's.
 */
final class Http {
    private static final java.util.concurrent.ConcurrentHashMap<String, HttpClient> CLIENTS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final String base;
    private final boolean pooled;

    Http(String base) {
        this(base, true);
    }

    private Http(String base, boolean pooled) {
        this.base = base;
        this.pooled = pooled;
    }

    /** Closes the connections of the clients of the server at {@code base}; a later request opens new ones. */
    static void disconnect(String base) {
        HttpClient client = CLIENTS.remove(base);
        if (client != null) {
            client.shutdownNow();
        }
    }

    private HttpClient client() {
        return CLIENTS.computeIfAbsent(base, b -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /**
     * A client for tests that send many malformed requests. The server closes a connection after refusing one at
     * the parser (a 414, a 431, a bad escape); the shared client may already have picked that connection for the
     * next request, and retries only GETs. This one sends such a request again on a connection of its own.
     */
    static Http unpooled(String base) {
        return new Http(base, false);
    }

    /** GET with extra headers given as name, value pairs. */
    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** Any method, without a body. */
    HttpResponse<String> send(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        return post(path, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                // As curl does for large bodies: the server can refuse (413) before the body is sent, instead of
                // closing the connection under a client that is still writing.
                .expectContinue(body.length > 64 * 1024);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    HttpResponse<String> postJson(String path, String json) {
        return post(path, "application/json", json);
    }

    HttpResponse<String> postForm(String path, String form, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .expectContinue(form.length() > 64 * 1024); // as post() does: the 413 comes before the body
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** POST of a JSON body (or none, when {@code json} is null) with a bearer token. */
    HttpResponse<String> postJsonAs(String token, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b);
    }

    /** Any method with a bearer token (none when null) and a JSON body (none when null). */
    HttpResponse<String> requestAs(String token, String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b);
    }

    /**
     * Any request: a bearer token (none when null), a body of {@code contentType} (no body when null), and more
     * headers as name, value pairs.
     */
    HttpResponse<String> raw(String token, String method, String path, String contentType, String body,
                             String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body))
                    .expectContinue(body.length() > 64 * 1024);
        }
        return send(b);
    }

    HttpResponse<String> getAs(String token, String path) {
        return get(path, "Authorization", "Bearer " + token);
    }

    HttpResponse<String> postWithHeader(String path, String name, String value) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header(name, value)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            HttpRequest request = b.timeout(Duration.ofSeconds(60)).build();
            if (!pooled) {
                try {
                    return client().send(request, HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException closedUnderUs) {
                    try (HttpClient once = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                        return once.send(request, HttpResponse.BodyHandlers.ofString());
                    }
                }
            }
            return client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
