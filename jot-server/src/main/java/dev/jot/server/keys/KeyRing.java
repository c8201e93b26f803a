package dev.jot.server.keys;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.OctJwk;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The signing keys as one immutable snapshot: the active key and its signer, and the published set (next,
 * active, and retired keys whose tokens may still be live) both as a verification {@link Jwks} and as the JSON of
 * {@code /.well-known/jwks.json}. {@link SigningKeys} swaps whole snapshots, so a request never sees half a
 * rotation.
 *
 * <p>A retired key is published until the later of its stored {@code published_until} and its retirement plus
 * this instance's own token lifetime and linger: whoever rotated (another instance, {@code jot admin} with other
 * settings) cannot cut short the life of this instance's tokens. A key withdrawn before it ever signed (its
 * algorithm was no longer the configured one) has no tokens to wait for.
 */
public final class KeyRing {
    private final List<StoredKey> rows;
    private final StoredKey active;
    private final StoredKey next;
    private final Jwk signingKey;
    private final JwtSigner signer;
    private final JwtSigner plainSigner;
    private final Jwks verificationKeys;
    private final String publicJwksJson;
    private final Set<Algorithm> algorithms;
    /** The first moment a retired key leaves the published set ({@link Instant#MAX} when none will). */
    private final Instant changesAt;
    private final Duration keepRetired;

    private KeyRing(List<StoredKey> rows, StoredKey active, StoredKey next, Jwk signingKey, List<Jwk> published,
                    Instant changesAt, Duration keepRetired) {
        this.rows = List.copyOf(rows);
        this.active = active;
        this.next = next;
        this.signingKey = signingKey;
        // RFC 9068 §2.1: access tokens carry typ "at+jwt" so they cannot be confused with other JWTs.
        this.signer = JwtSigner.builder(signingKey).type("at+jwt").build();
        // --access-token-type JWT: for resource servers that accept only "JWT" (a stock Spring Boot one).
        this.plainSigner = JwtSigner.builder(signingKey).type("JWT").build();
        this.verificationKeys = new Jwks(published);
        Set<Algorithm> algs = new LinkedHashSet<>();
        algs.add(signer.algorithm());
        published.stream().map(Jwk::alg).filter(java.util.Objects::nonNull).forEach(algs::add);
        this.algorithms = Set.copyOf(algs);
        // HS256: the secret verifies but is never published (a JWKS never carries secrets, RFC 7517 §8.1.1).
        this.publicJwksJson = (signingKey instanceof OctJwk ? new Jwks(List.of()) : verificationKeys).toJson();
        this.changesAt = changesAt;
        this.keepRetired = keepRetired;
    }

    /**
     * HS256 with the configured secret: one key, never stored, never rotated. Its {@code kid} is random
     * ({@link HmacKidRepository}): the RFC 7638 thumbprint of a secret is a hash of it, which lets anyone holding a token test
     * guesses of the secret offline.
     */
    static KeyRing ofSecret(byte[] secret, String kid) {
        OctJwk oct = OctJwk.of(secret);
        Jwk key = oct.withKid(kid).withAlg(Algorithm.HS256);
        return new KeyRing(List.of(), null, null, key, List.of(key), Instant.MAX, Duration.ZERO);
    }

    /**
     * The ring the rows describe at {@code now}. {@code unlock} decrypts the active key's private half; it is not
     * called when {@code previous} already holds that key.
     */
    static KeyRing of(List<StoredKey> rows, Instant now, Duration keepRetired, Function<StoredKey, Jwk> unlock,
                      KeyRing previous) {
        StoredKey active = rows.stream().filter(StoredKey::isActive).findFirst()
                .orElseThrow(() -> new IllegalStateException("the database has no active signing key"));
        StoredKey next = rows.stream().filter(StoredKey::isNext).findFirst().orElse(null);
        Jwk signing = previous != null && previous.active != null && previous.active.kid().equals(active.kid())
                ? previous.signingKey : unlock.apply(active);
        List<Jwk> published = new ArrayList<>();
        Instant changesAt = Instant.MAX;
        for (StoredKey k : rows) {
            Instant until = k.isRetired() ? publishedUntil(k, keepRetired) : Instant.MAX;
            if (now.isBefore(until)) {
                published.add(Jwk.parse(k.publicJwk()));
                changesAt = until.isBefore(changesAt) ? until : changesAt;
            }
        }
        return new KeyRing(rows, active, next, signing, published, changesAt, keepRetired);
    }

    private static Instant publishedUntil(StoredKey retired, Duration keepRetired) {
        if (retired.activatedAt() == null) {
            return retired.publishedUntil(); // withdrawn while next: it never signed a token
        }
        Instant own = retired.retiredAt().plus(keepRetired);
        return retired.publishedUntil().isAfter(own) ? retired.publishedUntil() : own;
    }

    /** This ring as published at {@code now}: itself until a retired key's time is up. */
    KeyRing at(Instant now) {
        if (now.isBefore(changesAt) || active == null) {
            return this;
        }
        return of(rows, now, keepRetired, k -> signingKey, this);
    }

    Instant changesAt() {
        return changesAt;
    }

    List<StoredKey> rows() {
        return rows;
    }

    /** The signing key's row (absent for HS256). */
    Optional<StoredKey> active() {
        return Optional.ofNullable(active);
    }

    /** The key that signs after the next rotation, published already. */
    Optional<StoredKey> next() {
        return Optional.ofNullable(next);
    }

    /** Signs access tokens with the active key, {@code typ: at+jwt}. */
    public JwtSigner signer() {
        return signer;
    }

    /** Signs access tokens with the active key and {@code typ} {@code at+jwt} or {@code JWT}. */
    public JwtSigner signer(String typ) {
        return switch (typ) {
            case "at+jwt" -> signer;
            case "JWT" -> plainSigner;
            default -> throw new IllegalArgumentException("access tokens are typed at+jwt or JWT");
        };
    }

    /** The keys that verify this server's tokens: every published key (for HS256, the secret). */
    public Jwks verificationKeys() {
        return verificationKeys;
    }

    /** The algorithms of those keys: the verifier's allow-list (RFC 8725 §3.1). */
    public Set<Algorithm> algorithms() {
        return algorithms;
    }

    /** {@code {"keys":[...]}} with public keys only: the body of {@code /.well-known/jwks.json}. */
    public String publicJwksJson() {
        return publicJwksJson;
    }

    /** The active key's {@code kid}. */
    public String activeKid() {
        return signingKey.kid();
    }

    /** The next key's {@code kid}, when there is one yet. */
    public Optional<String> nextKid() {
        return next().map(StoredKey::kid);
    }
}
