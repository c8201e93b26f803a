package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Base64Url;
import dev.jot.jwt.Json;
import dev.jot.jwt.OctJwk;
import dev.jot.server.JotServer;
import dev.jot.server.config.Argon2Params;
import dev.jot.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token tools and the server agree: the published JWKS verifies server tokens, and the server checks iss. */
class ServerInteropTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Argon2Params FAST = new Argon2Params(1024, 1, 1);

    @TempDir
    Path dir;

    @Test
    void theServersPublishedJwksVerifiesItsTokensWithJotVerify() throws Exception {
        try (JotServer server = JotServer.start(ServerConfig.builder().port(0).dataDir(dir.resolve("data"))
                .argon2(FAST).build())) {
            String token = registerAndLogin(server);
            Path jwks = Files.writeString(dir.resolve("jwks.json"), get(server, "/.well-known/jwks.json"));

            Jot.Result r = Jot.run("verify", "--key", jwks.toString(), token);

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(Json.parseObject(r.out().strip())).containsEntry("preferred_username", "ada");
        }
    }

    @Test
    void aTokenFromJotSignWithTheServersOwnSecretButAnotherIssuerIsRefused() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try (JotServer server = JotServer.start(ServerConfig.builder().port(0).dataDir(dir.resolve("data"))
                .argon2(FAST).signingAlg(Algorithm.HS256).hmacSecret(secret).build())) {
            String genuine = registerAndLogin(server);
            Map<String, Object> claims = Json.parseObject(new String(Base64Url.decode(genuine.split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8));
            // The server's HS256 kid is random (not the secret's thumbprint): take it from a token it issued.
            String kid = (String) Json.parseObject(new String(Base64Url.decode(genuine.split("\\.")[0]),
                    java.nio.charset.StandardCharsets.UTF_8)).get("kid");
            Path keyFile = Files.writeString(dir.resolve("server-secret.json"),
                    OctJwk.of(secret).withKid(kid).withAlg(Algorithm.HS256).toJson());

            String forged = sign(keyFile, "https://evil.example", claims);
            String control = sign(keyFile, (String) claims.get("iss"), claims);

            assertThat(me(server, control).statusCode()).as("same key and claims, right issuer").isEqualTo(200);
            HttpResponse<String> refused = me(server, forged);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Json.parseObject(refused.body())).containsEntry("code", "token_invalid");
        }
    }

    private static String sign(Path keyFile, String issuer, Map<String, Object> claims) {
        // Jot.run's clock is fixed in the past, so the times come from the genuine token instead of --exp.
        String times = "{\"iat\":" + claims.get("iat") + ",\"exp\":" + claims.get("exp") + "}";
        Jot.Result r = Jot.run("sign", "--key", keyFile.toString(), "--typ", "at+jwt", "--claims", times,
                "--iss", issuer, "--sub", (String) claims.get("sub"), "--aud", (String) claims.get("aud"));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    private static String registerAndLogin(JotServer server) throws Exception {
        String creds = "{\"username\":\"ada\",\"password\":\"correct horse battery\"}";
        assertThat(post(server, "/register", creds).statusCode()).isEqualTo(201);
        HttpResponse<String> login = post(server, "/login", creds);
        assertThat(login.statusCode()).isEqualTo(200);
        return (String) Json.parseObject(login.body()).get("access_token");
    }

    private static HttpResponse<String> post(JotServer server, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String get(JotServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> me(JotServer server, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/me"))
                .header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
