package dev.jot.guard;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.Jwk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Real keys and real signatures: the trusted key, a forger's key with the same kid, and an unknown kid. */
final class Tokens {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String ISSUER = "https://auth.jot.test";

    static final Jwk TRUSTED = Jwk.generate(Algorithm.RS256, "k1");
    static final Jwk FORGER = Jwk.generate(Algorithm.RS256, "k1");
    static final Jwk UNKNOWN = Jwk.generate(Algorithm.RS256, "k2");
    static final Jwk HMAC = Jwk.generate(Algorithm.HS256, "k1");

    final MutableClock clock = new MutableClock(T0);
    final JwtVerifier verifier;
    /** How many times the real verifier ran (cache misses). */
    final AtomicInteger verifications = new AtomicInteger();

    Tokens() {
        this(b -> { });
    }

    /** The verifier trusts {@link #TRUSTED} and {@link #ISSUER}, on this fixture's clock; {@code custom} adds rules. */
    Tokens(Consumer<JwtVerifier.Builder> custom) {
        JwtVerifier.Builder b = JwtVerifier.builder().key(TRUSTED).issuer(ISSUER).clock(clock);
        custom.accept(b);
        this.verifier = b.build();
    }

    Guard.Builder guard() {
        return Guard.builder(verifier).clock(clock).verifyWith(real -> token -> {
            verifications.incrementAndGet();
            return real.apply(token);
        });
    }

    /** A valid token for {@code sub}, expiring 15 minutes after the clock's now. */
    String valid(String sub) {
        return sign(TRUSTED, c -> c.subject(sub));
    }

    String sign(Jwk key, Consumer<Claims.Builder> custom) {
        Claims.Builder c = Claims.builder().issuer(ISSUER).subject("user-1").jwtId(UUID.randomUUID().toString())
                .issuedAt(clock.instant()).expiresAt(clock.instant().plus(Duration.ofMinutes(15)));
        custom.accept(c);
        return JwtSigner.builder(key).build().sign(c.build());
    }

    /** Signs exactly these claims, nothing added. */
    static String signExactly(Jwk key, Claims claims) {
        return JwtSigner.builder(key).build().sign(claims);
    }

    static String forge(String token) {
        int lastDot = token.lastIndexOf('.');
        String sig = token.substring(lastDot + 1);
        char flipped = sig.charAt(0) == 'A' ? 'B' : 'A';
        return token.substring(0, lastDot + 1) + flipped + sig.substring(1);
    }

    /** A token assembled by hand, for headers the signer refuses to write (e.g. {@code crit}). */
    static String raw(String headerJson, String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(new byte[256]);
    }
}
