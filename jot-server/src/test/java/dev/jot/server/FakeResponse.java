package dev.jot.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * An answer made up by a test (to show that a check refuses what it should), or the head of a real one whose body
 * is a stream that never ends.
 */
record FakeResponse(int statusCode, HttpHeaders headers, String body) implements HttpResponse<String> {
    FakeResponse(int statusCode, String contentType, String body) {
        this(statusCode, HttpHeaders.of(contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType)),
                (a, b) -> true), body);
    }

    @Override
    public HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("http://jot.test/")).build();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public URI uri() {
        return URI.create("http://jot.test/");
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }
}
