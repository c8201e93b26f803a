package dev.jot.guard;

import dev.jot.jwt.Json;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A real HTTP client for the adapter tests: what an API's callers send, and what they get back. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A response: status, headers, body as text. */
    record Reply(int status, HttpHeaders headers, String body) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        Map<String, Object> json() {
            return Json.parseObject(body);
        }
    }

    private Http() {
    }

    static Reply get(String url, String... headers) throws Exception {
        return send("GET", url, HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** A body with a {@code Content-Length}. */
    static Reply post(String url, String contentType, byte[] body, String... headers) throws Exception {
        return send("POST", url, HttpRequest.BodyPublishers.ofByteArray(body), with(headers, "Content-Type", contentType));
    }

    /** A body without a length: sent chunked, as a streaming client does. */
    static Reply postChunked(String url, String contentType, byte[] body, String... headers) throws Exception {
        return send("POST", url, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                with(headers, "Content-Type", contentType));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String[] with(String[] headers, String name, String value) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }

    private static Reply send(String method, String url, HttpRequest.BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, body);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(r.statusCode(), r.headers(), r.body());
    }
}
