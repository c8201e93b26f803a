package dev.jot.guard;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.JwtVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The token rules of a guard that fetches its keys: who issued the token, whom it is for, its type, the clock
 * and its skew, and which algorithms are allowed. A new {@link JwtVerifier} is made from these rules each time the
 * key set changes.
 *
 * <p>Which algorithm a key verifies comes from the key set, never from a token (DESIGN rule 1): each key's
 * {@code alg} member. A key without {@code alg} is not used unless {@code algorithms} is configured, and then
 * only for those of them that suit it. Secret and private keys are never taken from a URL (anyone who can fetch
 * an HMAC secret can forge tokens with it), nor keys whose {@code use}/{@code key_ops} forbid verifying.
 *
 * @param audiences the token's {@code aud} must contain one of these; empty accepts any audience
 * @param type the required {@code typ} header (RFC 9068 §4: {@code at+jwt}), or null for any
 * @param algorithms the allowed algorithms; empty means "each key's own {@code alg}"
 */
record VerifierPolicy(String issuer, List<String> audiences, String type, Duration clockSkew, Set<Algorithm> algorithms,
                      Clock clock) {

    VerifierPolicy {
        Objects.requireNonNull(issuer);
        audiences = List.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        Objects.requireNonNull(clockSkew);
        Objects.requireNonNull(clock);
    }

    /** The keys of {@code jwks} this policy verifies with, and a line for each key it leaves out. */
    record Selection(List<Jwk> keys, List<String> skipped) {
    }

    Selection select(Jwks jwks) {
        List<Jwk> keys = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Jwk k : jwks.keys()) {
            String why = whyNot(k);
            if (why == null) {
                keys.add(k);
            } else {
                skipped.add((k.kid() == null ? "a key without kid" : "key '" + k.kid() + "'") + " " + why);
            }
        }
        return new Selection(List.copyOf(keys), List.copyOf(skipped));
    }

    private String whyNot(Jwk k) {
        if (k.isPrivate()) {
            return "is a secret or private key: never taken from a URL";
        }
        if (!k.permits("verify")) {
            return "is not for verifying signatures (use/key_ops)";
        }
        if (algorithms.isEmpty()) {
            return k.alg() == null ? "has no alg: not used unless the guard names its algorithms" : null;
        }
        if (k.alg() != null) {
            return algorithms.contains(k.alg()) ? null : "is for " + k.alg().jwsName() + ", which is not allowed";
        }
        return algorithms.stream().anyMatch(k::suits) ? null : "suits none of the allowed algorithms";
    }

    /** A verifier over {@code keys} (at least one, as {@link #select} chose them) with this policy. */
    JwtVerifier verifier(List<Jwk> keys) {
        JwtVerifier.Builder b = JwtVerifier.builder()
                .keys(keys)
                .issuer(issuer)
                .type(type)
                .clockSkew(clockSkew)
                .clock(clock);
        audiences.forEach(b::audience);
        if (!algorithms.isEmpty()) {
            b.algorithms(algorithms);
        }
        return b.build();
    }
}
