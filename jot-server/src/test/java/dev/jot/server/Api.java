package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JSON API of one running server as the tests of machine credentials and administration use it: users who
 * register and log in, an admin, API keys, clients, and the token endpoint.
 */
final class Api {
    static final String PASSWORD = "correct horse battery";
    static final String INTROSPECT = "jot:introspect";
    static final String REVOCATIONS = "jot:revocations";

    final JotServer server;
    final Http http;

    Api(JotServer server) {
        this.server = server;
        this.http = new Http(server.baseUrl());
    }

    /** Registers {@code name} and answers the new user's id. */
    String register(String name) {
        HttpResponse<String> r = http.postJson("/register", Json.write(Map.of("username", name, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return (String) Json.parseObject(r.body()).get("id");
    }

    /** A password login's access token. */
    String login(String name) {
        return (String) loginPair(name).get("access_token");
    }

    Map<String, Object> loginPair(String name) {
        HttpResponse<String> r = http.postJson("/login", Json.write(Map.of("username", name, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    /** Registers {@code name}, makes them an admin, and answers their access token. */
    String admin(String name) {
        register(name);
        server.services().accounts().grantRole(name, "admin");
        return login(name);
    }

    HttpResponse<String> call(String token, String method, String path, Object body) {
        return http.requestAs(token, method, path, body == null ? null : body instanceof String s ? s : Json.write(body));
    }

    /** The body of a call that must answer {@code status}. */
    Map<String, Object> expect(int status, String token, String method, String path, Object body) {
        HttpResponse<String> r = call(token, method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        return r.body().isEmpty() ? Map.of() : Json.parseObject(r.body());
    }

    /** Creates an API key; its JSON, {@code key} included. */
    Map<String, Object> apiKey(String token, Map<String, Object> body) {
        return expect(201, token, "POST", "/api-keys", body);
    }

    /** Creates a client as {@code admin}; its JSON, {@code client_secret} included. */
    Map<String, Object> client(String admin, Map<String, Object> body) {
        return expect(201, admin, "POST", "/admin/clients", body);
    }

    /** {@code POST /oauth2/token} with form fields, and headers as name, value pairs. */
    HttpResponse<String> token(String form, String... headers) {
        return http.postForm("/oauth2/token", form, headers);
    }

    /** Client credentials by client_secret_post: the access token, or the failing response in the assertion. */
    String clientToken(String clientId, String secret, String... more) {
        HttpResponse<String> r = token(form(Stream.concat(Stream.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret), Stream.of(more)).toArray(String[]::new)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body()).get("access_token");
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    static String form(String... pairs) {
        return Stream.iterate(0, i -> i < pairs.length, i -> i + 2)
                .map(i -> enc(pairs[i]) + "=" + enc(pairs[i + 1]))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A token's claims, read without verifying (the server verified it when it mattered). */
    static Map<String, Object> claims(String token) {
        return Unverified.decode(token).claims();
    }

    /** The list {@code name} of a JSON answer, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> body, String name) {
        return (List<Map<String, Object>>) body.get(name);
    }

    static String error(HttpResponse<String> r) {
        return (String) Json.parseObject(r.body()).get("error");
    }

    static String code(HttpResponse<String> r) {
        return (String) Json.parseObject(r.body()).get("code");
    }
}
