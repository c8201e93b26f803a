package dev.jot.jwt;

import static dev.jot.jwt.Forge.CLAIMS;
import static dev.jot.jwt.Forge.CLOCK;
import static dev.jot.jwt.Forge.assertCode;
import static dev.jot.jwt.Forge.b64;
import static dev.jot.jwt.Forge.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpServer;
import dev.jot.jwt.JwtException.Code;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Attacks through header parameters: embedded or remote keys, {@code crit}, and hostile {@code kid} values. */
class HeaderAttackTest {

    /** A local server offering the attacker's keys; a verifier that followed jku/x5u would hit it. */
    private static HttpServer server;
    private static final AtomicInteger HITS = new AtomicInteger();
    private static String baseUrl;

    @BeforeAll
    static void startAttackerServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            HITS.incrementAndGet();
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopAttackerServer() {
        server.stop(0);
    }

    // ---- jwk, jku, x5u, x5c: never a source of keys ----

    static Stream<Arguments> embeddedKeyAttacks() {
        List<Arguments> cases = new ArrayList<>();
        for (Algorithm alg : List.of(Algorithm.HS256, Algorithm.RS256, Algorithm.PS256, Algorithm.ES256, Algorithm.EdDSA)) {
            for (String param : List.of("jwk", "jku", "x5u", "x5c")) {
                for (boolean withKid : List.of(false, true)) {
                    cases.add(Arguments.of(alg, param, withKid));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} signed by the attacker, key offered in {1} (kid k1: {2}) is a bad signature")
    @MethodSource("embeddedKeyAttacks")
    void aTokenSignedWithAKeyOfferedInTheHeaderIsABadSignature(Algorithm alg, String param, boolean withKid) {
        Jwk attacker = Jwk.generate(alg, "k1");
        String offered = switch (param) {
            case "jwk" -> alg.isSymmetric() ? attacker.toJson() : attacker.toPublicJwk().toJson();
            case "jku" -> quote(baseUrl + "/jwks.json");
            case "x5u" -> quote(baseUrl + "/cert.pem");
            default -> "[" + quote(java.util.Base64.getEncoder().encodeToString(attacker instanceof OctJwk o
                    ? o.secret().getEncoded() : attacker.toPublicJwk().toJson().getBytes(StandardCharsets.UTF_8))) + "]";
        };
        String header = "{\"alg\":\"" + alg + "\"" + (withKid ? ",\"kid\":\"k1\"" : "") + ",\"" + param + "\":" + offered + "}";
        String input = input(header, CLAIMS);
        String token = input + "." + b64(Forge.rawSign(alg, attacker, input.getBytes(StandardCharsets.US_ASCII)));
        int hitsBefore = HITS.get();

        assertCode(() -> Forge.verifier(alg).verify(token), Code.BAD_SIGNATURE);
        assertThat(HITS.get()).as("requests to the attacker's jku/x5u").isEqualTo(hitsBefore);
    }

    @ParameterizedTest(name = "{0}: the attacker''s own kid next to an embedded jwk finds no key")
    @ValueSource(strings = {"HS256", "RS256", "ES256", "EdDSA"})
    void anEmbeddedJwkWithTheAttackersKidFindsNoKey(Algorithm alg) {
        Jwk attacker = Jwk.generate(alg, "attacker");
        String jwk = alg.isSymmetric() ? attacker.toJson() : attacker.toPublicJwk().toJson();
        String header = "{\"alg\":\"" + alg + "\",\"kid\":\"attacker\",\"jwk\":" + jwk + "}";
        String input = input(header, CLAIMS);
        String token = input + "." + b64(Forge.rawSign(alg, attacker, input.getBytes(StandardCharsets.US_ASCII)));
        assertCode(() -> Forge.verifier(alg).verify(token), Code.KEY_NOT_FOUND);
    }

    @Test
    void headerKeyParametersOnAGenuineTokenAreCarriedButNeverUsed() {
        Jwk attacker = Jwk.generate(Algorithm.ES256, "k1");
        String header = "{\"alg\":\"ES256\",\"kid\":\"k1\",\"jwk\":" + attacker.toPublicJwk().toJson()
                + ",\"jku\":" + quote(baseUrl + "/jwks.json") + ",\"x5u\":" + quote(baseUrl + "/c.pem")
                + ",\"x5c\":[\"MIIB\"]}";
        int hitsBefore = HITS.get();
        VerifiedJwt jwt = Forge.verifier(Algorithm.ES256).verify(Forge.signed(Algorithm.ES256, header, CLAIMS));
        assertThat(jwt.header().get("jwk")).isInstanceOf(java.util.Map.class);
        assertThat(jwt.claims().subject()).contains("42");
        assertThat(HITS.get()).isEqualTo(hitsBefore);
    }

    // ---- crit ----

    @Test
    void anUnknownCriticalHeaderIsUnsupportedCritical() {
        String header = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"https://evil.example/ext\"],"
                + "\"https://evil.example/ext\":true}";
        String token = Forge.signed(Algorithm.HS256, header, CLAIMS);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.UNSUPPORTED_CRITICAL);
    }

    @Test
    void oneUnknownCriticalHeaderAmongUnderstoodOnesIsUnsupportedCritical() {
        String header = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"ok\",\"other\"],\"ok\":1,\"other\":2}";
        String token = Forge.signed(Algorithm.HS256, header, CLAIMS);
        JwtVerifier verifier = JwtVerifier.builder().key(Forge.verifyKey(Algorithm.HS256)).clock(CLOCK)
                .understoodCritical("ok").build();
        assertCode(() -> verifier.verify(token), Code.UNSUPPORTED_CRITICAL);
    }

    @Test
    void aCriticalHeaderTheCallerUnderstandsIsAccepted() {
        String header = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"ok\"],\"ok\":1}";
        JwtVerifier verifier = JwtVerifier.builder().key(Forge.verifyKey(Algorithm.HS256)).clock(CLOCK)
                .understoodCritical("ok").build();
        VerifiedJwt jwt = verifier.verify(Forge.signed(Algorithm.HS256, header, CLAIMS));
        assertThat(jwt.header().crit()).containsExactly("ok");
    }

    @ParameterizedTest(name = "crit {0} is malformed")
    @ValueSource(strings = {
        "[]",                  // RFC 7515 §4.1.11: MUST NOT be empty
        "\"ext\"",             // not an array
        "null",
        "{}",
        "[1]",                 // not strings
        "[null]",
        "[\"alg\"]",           // registered names MUST NOT be listed
        "[\"kid\"]",
        "[\"crit\"]",
        "[\"missing\"]"        // listed but not present in the header
    })
    void aMalformedCritIsMalformed(String crit) {
        String header = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"ext\":true,\"crit\":" + crit + "}";
        String token = Forge.signed(Algorithm.HS256, header, CLAIMS);
        JwtVerifier verifier = JwtVerifier.builder().key(Forge.verifyKey(Algorithm.HS256)).clock(CLOCK)
                .understoodCritical("ext", "alg", "kid", "crit", "missing").build();
        assertCode(() -> verifier.verify(token), Code.MALFORMED);
    }

    // ---- kid: an opaque lookup string ----

    @ParameterizedTest(name = "kid {0} finds no key")
    @ValueSource(strings = {
        "../../etc/passwd", "../../../../../../dev/null", "/etc/passwd", "..\\..\\windows\\win.ini",
        "file:///etc/passwd", "http://127.0.0.1/key.pem", "' OR 1=1 --", "k1' OR '1'='1", "k1\" OR \"\"=\"",
        "k1; DROP TABLE keys; --", "k1' UNION SELECT 'secret' --", "k1%00", "k1\u0000", "*", "%", "k%", "K1",
        " k1", "k1 ", "k1\n", "${jndi:ldap://127.0.0.1/a}", "$(cat /etc/passwd)", "k2"})
    void aKidWithPathOrSqlCharactersFindsNoKey(String kid) {
        // Signed with the genuine key, so only the kid lookup can fail.
        String header = "{\"alg\":\"HS256\",\"kid\":" + quote(kid) + "}";
        String token = Forge.signed(Algorithm.HS256, header, CLAIMS);
        Jwk k1 = Forge.verifyKey(Algorithm.HS256);
        Jwk k3 = Jwk.generate(Algorithm.HS256, "k3");
        JwtVerifier verifier = JwtVerifier.builder().keys(Jwks.of(k1, k3)).clock(CLOCK).build();

        assertCode(() -> verifier.verify(token), Code.KEY_NOT_FOUND);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.KEY_NOT_FOUND);
    }

    @Test
    void theGenuineKidOnTheSameTokenVerifies() {
        String token = Forge.signed(Algorithm.HS256, "{\"alg\":\"HS256\",\"kid\":\"k1\"}", CLAIMS);
        assertThat(Forge.verifier(Algorithm.HS256).verify(token).header().kid()).isEqualTo("k1");
    }

    @ParameterizedTest(name = "kid {0} is malformed")
    @ValueSource(strings = {"\"\"", "1", "null", "[\"k1\"]", "{\"$ne\":null}"})
    void aKidThatIsNotANonEmptyStringIsMalformed(String kidJson) {
        String token = Forge.signed(Algorithm.HS256, "{\"alg\":\"HS256\",\"kid\":" + kidJson + "}", CLAIMS);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    @Test
    void anOverlongKidIsMalformed() {
        String token = Forge.signed(Algorithm.HS256, "{\"alg\":\"HS256\",\"kid\":\"" + "k".repeat(257) + "\"}", CLAIMS);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
