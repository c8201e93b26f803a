package dev.jot.guard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory request, as small as a server's adapter would be. */
final class FakeRequest implements GuardRequest {

    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, List<String>> query = new TreeMap<>();
    private final Map<String, List<String>> cookies = new TreeMap<>();
    private byte[] body;
    int bodyReads;

    static FakeRequest empty() {
        return new FakeRequest();
    }

    static FakeRequest bearer(String token) {
        return new FakeRequest().header("Authorization", "Bearer " + token);
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest query(String name, String value) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest cookie(String name, String value) {
        cookies.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest json(String json) {
        header("Content-Type", "application/json");
        this.body = json.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    FakeRequest body(String contentType, byte[] bytes) {
        header("Content-Type", contentType);
        this.body = bytes;
        return this;
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public List<String> queryParameters(String name) {
        return query.getOrDefault(name, List.of());
    }

    @Override
    public List<String> cookies(String name) {
        return cookies.getOrDefault(name, List.of());
    }

    @Override
    public byte[] body() {
        bodyReads++;
        return body;
    }

    @Override
    public String toString() {
        return "headers=" + headers + " query=" + query + " cookies=" + cookies
                + (body == null ? "" : " body=" + new String(body, StandardCharsets.UTF_8));
    }
}
