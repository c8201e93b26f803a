package dev.jot.server;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Base64Url;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Hostile and broken tokens for {@code GET /me}, each made from a genuine one or with the server's own key. */
final class MeContract {
    private MeContract() {
    }

    /** What the server must answer for a token: status and the problem {@code code}. */
    record Case(String what, Function<Minting, String> token, String code) {
        @Override
        public String toString() {
            return what;
        }
    }

    /** What a case needs to make its token. */
    record Minting(String genuine, JwtSigner serverSigner, String issuer, String audience, String subject) {
        Claims.Builder claims() {
            Instant now = Instant.now();
            return Claims.builder().issuer(issuer).audience(audience).subject(subject)
                    .issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5))).jwtId("t-" + now.toEpochMilli());
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("a token with one payload character changed", m -> tamper(m.genuine()), "token_invalid"),
                new Case("a token signed by another key under the server's kid", MeContract::wrongKey, "token_invalid"),
                new Case("an alg:none token", MeContract::algNone, "token_invalid"),
                new Case("an expired token", m -> m.serverSigner().sign(m.claims()
                        .expiresAt(Instant.now().minus(Duration.ofMinutes(5))).build()), "token_expired"),
                new Case("a token not valid yet", m -> m.serverSigner().sign(m.claims()
                        .notBefore(Instant.now().plus(Duration.ofMinutes(5))).build()), "token_invalid"),
                new Case("a token for another audience", m -> m.serverSigner().sign(m.claims()
                        .audience("https://other.example").build()), "token_invalid"),
                new Case("a token from another issuer, signed with the server's own key", m -> m.serverSigner()
                        .sign(m.claims().issuer("https://evil.example").build()), "token_invalid"),
                new Case("garbage", m -> "not-a-token", "token_invalid"));
    }

    private static String tamper(String token) {
        int i = token.indexOf('.') + 5;
        char c = token.charAt(i);
        return token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
    }

    private static String wrongKey(Minting m) {
        Jwk attacker = Jwk.generate(Algorithm.RS256, m.serverSigner().keyId());
        return JwtSigner.builder(attacker).type("at+jwt").build().sign(m.claims().build());
    }

    private static String algNone(Minting m) {
        String header = Base64Url.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
        String payload = Base64Url.encode(m.claims().build().toJson().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
