package dev.jot.guard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The client credentials grant against a real token endpoint on a loopback port, which the test makes misbehave. */
class ClientCredentialsTest {

    private static final String SECRET = "s3cr:et/+&%";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final TokenEndpoint endpoint = new TokenEndpoint();

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private ClientCredentials.Builder client() {
        return ClientCredentials.atTokenEndpoint(endpoint.tokenUri(), "orders api", SECRET).clock(clock);
    }

    @Test
    void asksWithClientSecretBasicAndTheScopeAndHandsOutTheToken() {
        try (ClientCredentials c = client().scope("jot:revocations").build()) {
            assertThat(c.get()).isEqualTo("token-1");
        }
        TokenEndpoint.Request r = endpoint.requests.getFirst();
        assertThat(r.form()).isEqualTo("grant_type=client_credentials&scope=jot%3Arevocations");
        assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
        // RFC 6749 §2.3.1: form-encode, then Basic
        assertThat(new String(Base64.getDecoder().decode(r.authorization().substring("Basic ".length())), UTF_8))
                .isEqualTo("orders+api:s3cr%3Aet%2F%2B%26%25");
    }

    @Test
    void keepsTheTokenForFourFifthsOfItsLifeThenRenewsIt() {
        try (ClientCredentials c = client().build()) {
            assertThat(c.get()).isEqualTo("token-1");
            clock.advance(Duration.ofSeconds(239)); // expires_in 300: renewed from 240 s on
            assertThat(c.get()).isEqualTo("token-1");
            assertThat(c.requests()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(c.get()).isEqualTo("token-2");
            assertThat(c.requests()).isEqualTo(2);
        }
    }

    @Test
    void concurrentCallersShareOneRequest() throws Exception {
        try (ClientCredentials c = client().build(); ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<String>> got = Stream.generate(() -> pool.submit(c::get)).limit(32).toList();
            for (var f : got) {
                assertThat(f.get()).isEqualTo("token-1");
            }
        }
        assertThat(endpoint.requests).hasSize(1);
    }

    @Test
    void forgetMakesTheNextCallAskAgain() {
        try (ClientCredentials c = client().build()) {
            c.get();
            c.forget();
            assertThat(c.get()).isEqualTo("token-2");
        }
    }

    @Test
    void findsTheTokenEndpointThroughDiscovery() {
        try (ClientCredentials c = ClientCredentials.forIssuer(endpoint.issuer(), "orders", SECRET).clock(clock).build()) {
            assertThat(c.get()).isEqualTo("token-1");
        }
        assertThat(endpoint.discoveries).hasValue(1);
    }

    @Test
    void refusesADiscoveryDocumentOfAnotherIssuer() {
        endpoint.discoveryIssuer = "http://127.0.0.1:1";
        try (ClientCredentials c = ClientCredentials.forIssuer(endpoint.issuer(), "orders", SECRET).build()) {
            assertThatThrownBy(c::get).isInstanceOf(ClientCredentials.TokenRequestFailed.class)
                    .hasMessageContaining("another issuer");
        }
        assertThat(endpoint.requests).isEmpty();
    }

    static Stream<Arguments> badAnswers() {
        return Stream.of(
                Arguments.of("a refusal", 401, "{\"error\":\"invalid_client\"}", "refused the client (HTTP 401: invalid_client)"),
                Arguments.of("a refusal with a free-text error", 400, "{\"error\":\"no \\\"way\\\"\"}", "refused the client (HTTP 400)"),
                Arguments.of("a server error without a body", 500, "", "refused the client (HTTP 500)"),
                Arguments.of("no access_token", 200, "{\"token_type\":\"Bearer\",\"expires_in\":60}", "no usable access_token"),
                Arguments.of("an access_token with a space", 200, "{\"access_token\":\"a b\",\"token_type\":\"Bearer\"}", "no usable access_token"),
                Arguments.of("another token type", 200, "{\"access_token\":\"t\",\"token_type\":\"DPoP\"}", "token_type is not Bearer"),
                Arguments.of("a negative expires_in", 200, "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":-1}", "expires_in"),
                Arguments.of("a string expires_in", 200, "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":\"60\"}", "expires_in"),
                Arguments.of("not JSON", 200, "<html>", "no usable access_token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void aBadAnswerIsAFailureThatNamesTheReasonAndNeverTheSecret(String name, int status, String body, String message) {
        endpoint.answer = new TokenEndpoint.Answer(status, body);
        try (ClientCredentials c = client().build()) {
            assertThatThrownBy(c::get).isInstanceOf(ClientCredentials.TokenRequestFailed.class)
                    .hasMessageContaining(message).message().doesNotContain(SECRET).doesNotContain("s3cr");
        }
    }

    @Test
    void anUnreachableEndpointIsAFailureToo() {
        URI gone = endpoint.tokenUri();
        endpoint.close();
        try (ClientCredentials c = ClientCredentials.atTokenEndpoint(gone, "orders", SECRET).build()) {
            assertThatThrownBy(c::get).isInstanceOf(ClientCredentials.TokenRequestFailed.class)
                    .hasMessageContaining("could not be reached");
        }
    }

    @Test
    void aMissingExpiresInIsTakenAsAMinute() {
        endpoint.answer = new TokenEndpoint.Answer(200, "{\"access_token\":\"t\",\"token_type\":\"bearer\"}");
        try (ClientCredentials c = client().build()) {
            c.get();
            clock.advance(Duration.ofSeconds(47));
            c.get();
            assertThat(c.requests()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            c.get();
            assertThat(c.requests()).isEqualTo(2);
        }
    }

    @Test
    void settingsAreCheckedWhenBuilt() {
        Stream.<Runnable>of(
                () -> ClientCredentials.atTokenEndpoint(URI.create("http://auth.example.com/token"), "a", "b"),
                () -> ClientCredentials.forIssuer("http://auth.example.com", "a", "b"),
                () -> client().scope("a b"),
                () -> ClientCredentials.atTokenEndpoint(endpoint.tokenUri(), "", "b"),
                () -> ClientCredentials.atTokenEndpoint(endpoint.tokenUri(), "a", ""))
                .forEach(bad -> assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class));
        assertThat(client().build().toString()).doesNotContain(SECRET);
    }

    /** A token endpoint and discovery document on a loopback port; tokens are numbered token-1, token-2, ... */
    static final class TokenEndpoint implements AutoCloseable {
        record Request(String authorization, String contentType, String form) {
        }

        record Answer(int status, String body) {
        }

        final List<Request> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger discoveries = new AtomicInteger();
        volatile Answer answer;
        volatile String discoveryIssuer;
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        TokenEndpoint() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server.setExecutor(threads);
            discoveryIssuer = issuer();
            server.createContext("/token", this::token);
            server.createContext("/.well-known/openid-configuration", x -> {
                discoveries.incrementAndGet();
                send(x, 200, "{\"issuer\":\"" + discoveryIssuer + "\",\"token_endpoint\":\"" + tokenUri() + "\"}");
            });
            server.start();
        }

        String issuer() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        URI tokenUri() {
            return URI.create(issuer() + "/token");
        }

        private void token(HttpExchange x) throws IOException {
            String form = new String(x.getRequestBody().readAllBytes(), UTF_8);
            requests.add(new Request(x.getRequestHeaders().getFirst("Authorization"),
                    x.getRequestHeaders().getFirst("Content-Type"), form));
            Answer a = answer;
            if (a == null) {
                send(x, 200, "{\"access_token\":\"token-" + requests.size()
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            } else {
                send(x, a.status(), a.body());
            }
        }

        private static void send(HttpExchange x, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
