package dev.jot.jwt;

import dev.jot.jwt.JwtException.Code;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies compact JWS/JWT tokens against configured keys and an algorithm allow-list. Built once, shared,
 * thread-safe and lock-free.
 *
 * <p>The checks run in a fixed order (DESIGN rule 2): size → structure and strict base64url → header JSON →
 * algorithm allow-list → {@code crit} → key by {@code kid} → signature → claims. So a forged token is always
 * {@code BAD_SIGNATURE} (or earlier), never {@code EXPIRED}, and its payload is not even parsed.
 *
 * <pre>{@code
 * JwtVerifier verifier = JwtVerifier.builder()
 *         .keys(jwks)                       // the header's alg only selects among these
 *         .issuer("https://auth.example")
 *         .audience("orders-api")
 *         .build();
 * VerifiedJwt jwt = verifier.verify(token); // or JwtException with a Code
 * }</pre>
 */
public final class JwtVerifier {

    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    private final Map<String, List<KeyEntry>> byKid;
    private final List<KeyEntry> unnamed;
    private final List<KeyEntry> all;
    private final Set<Algorithm> algorithms;
    private final Set<String> understoodCritical;
    private final int maxTokenLength;
    private final int maxDepth;
    private final ClaimsPolicy policy;
    private volatile HeaderMemo memo;

    private JwtVerifier(Builder b, List<KeyEntry> entries) {
        this.all = List.copyOf(entries);
        Map<String, List<KeyEntry>> index = new HashMap<>();
        List<KeyEntry> noKid = new ArrayList<>();
        for (KeyEntry e : entries) {
            if (e.kid() == null) {
                noKid.add(e);
            } else {
                index.computeIfAbsent(e.kid(), k -> new ArrayList<>()).add(e);
            }
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        this.byKid = Map.copyOf(index);
        this.unnamed = List.copyOf(noKid);
        EnumSet<Algorithm> algs = EnumSet.noneOf(Algorithm.class);
        entries.forEach(e -> algs.addAll(e.checks().keySet()));
        this.algorithms = Set.copyOf(algs);
        this.understoodCritical = Set.copyOf(b.understoodCritical);
        this.maxTokenLength = b.maxTokenLength;
        this.maxDepth = b.maxDepth;
        this.policy = new ClaimsPolicy(b.clock, b.clockSkew, b.issuer, List.copyOf(b.audiences), b.subject,
                b.types.isEmpty() ? null : List.copyOf(b.types), b.requireExpiration, b.maxAge, List.copyOf(b.requiredClaims));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The algorithms this verifier accepts. */
    public Set<Algorithm> algorithms() {
        return algorithms;
    }

    /** Verifies signature and claims; returns the header and claims or throws {@link JwtException}. */
    public VerifiedJwt verify(String token) {
        Verified v = verifySignatureOnly(token);
        Claims claims = Claims.parse(v.payload(), maxDepth);
        policy.check(v.header(), claims);
        return new VerifiedJwt(v.header(), claims);
    }

    /**
     * Verifies only the JWS signature (for payloads that are not JWT claims sets). No claim is checked, so
     * this is not a substitute for {@link #verify(String)} when the payload is a JWT.
     */
    public VerifiedJws verifySignature(String token) {
        Verified v = verifySignatureOnly(token);
        return new VerifiedJws(v.header(), v.payload());
    }

    private record Verified(Header header, byte[] payload) {
    }

    private Verified verifySignatureOnly(String token) {
        if (token == null || token.isEmpty()) {
            throw JwtException.malformed("no token");
        }
        if (token.length() > maxTokenLength) {
            throw JwtException.malformed("token longer than " + maxTokenLength + " characters");
        }
        CompactJws jws = CompactJws.split(token);
        HeaderMemo h = memo;
        if (h == null || !h.matches(token, jws.firstDot())) {
            h = resolveHeader(token, jws);
            memo = h;
        }
        byte[] signature = jws.signature();
        for (Crypto.Check check : h.checks()) {
            if (check.verify(jws.ascii(), 0, jws.secondDot(), signature)) {
                return new Verified(h.header(), jws.payload());
            }
        }
        throw new JwtException(Code.BAD_SIGNATURE, "signature does not verify");
    }

    /** Header JSON → alg allow-list → crit → key selection. Deterministic, so the result is memoised. */
    private HeaderMemo resolveHeader(String token, CompactJws jws) {
        CompactJws.ParsedHeader ph = CompactJws.parseHeader(jws.headerBytes(), maxDepth);
        Algorithm alg = Algorithm.fromJws(ph.alg()).orElse(null);
        if (alg == null || !algorithms.contains(alg)) {
            throw new JwtException(Code.UNSUPPORTED_ALGORITHM, "algorithm not allowed");
        }
        if (ph.crit() != null) {
            for (String ext : ph.crit()) {
                if (!understoodCritical.contains(ext)) {
                    throw new JwtException(Code.UNSUPPORTED_CRITICAL, "critical header '" + ext + "' not understood");
                }
            }
        }
        List<Crypto.Check> checks = new ArrayList<>(2);
        List<KeyEntry> candidates = ph.kid() == null ? all : byKid.getOrDefault(ph.kid(), List.of());
        for (KeyEntry e : candidates) {
            Crypto.Check c = e.checks().get(alg);
            if (c != null) {
                checks.add(c);
            }
        }
        if (ph.kid() != null) {
            for (KeyEntry e : unnamed) {
                Crypto.Check c = e.checks().get(alg);
                if (c != null) {
                    checks.add(c);
                }
            }
        }
        if (checks.isEmpty()) {
            throw new JwtException(Code.KEY_NOT_FOUND, "no key for this kid and algorithm");
        }
        return new HeaderMemo(token.substring(0, jws.firstDot()), ph.toHeader(alg), List.copyOf(checks));
    }

    private record HeaderMemo(String segment, Header header, List<Crypto.Check> checks) {
        boolean matches(String token, int firstDot) {
            return firstDot == segment.length() && token.startsWith(segment);
        }
    }

    private record KeyEntry(String kid, Map<Algorithm, Crypto.Check> checks) {
    }

    /** The claims rules (RFC 7519 §4.1, RFC 8725 §3.8–3.11), applied only after the signature verified. */
    private record ClaimsPolicy(Clock clock, Duration skew, String issuer, List<String> audiences, String subject,
                                List<String> types, boolean requireExpiration, Duration maxAge, List<String> required) {

        void check(Header header, Claims claims) {
            Instant now = clock.instant();
            Instant exp = claims.exp();
            if (exp == null) {
                if (requireExpiration) {
                    throw new JwtException(Code.CLAIM_MISSING, Claims.EXPIRATION, "claim 'exp' is required");
                }
            } else if (!now.minus(skew).isBefore(exp)) {
                throw new JwtException(Code.EXPIRED, Claims.EXPIRATION, "token expired");
            }
            Instant nbf = claims.nbf();
            if (nbf != null && nbf.isAfter(now.plus(skew))) {
                throw new JwtException(Code.NOT_YET_VALID, Claims.NOT_BEFORE, "token not valid yet");
            }
            if (maxAge != null) {
                Instant iat = claims.issuedAt().orElseThrow(
                        () -> new JwtException(Code.CLAIM_MISSING, Claims.ISSUED_AT, "claim 'iat' is required"));
                if (iat.isAfter(now.plus(skew))) {
                    throw new JwtException(Code.NOT_YET_VALID, Claims.ISSUED_AT, "token issued in the future");
                }
                if (iat.isBefore(now.minus(maxAge).minus(skew))) {
                    throw new JwtException(Code.EXPIRED, Claims.ISSUED_AT, "token older than the maximum age");
                }
            }
            if (types != null && !typeMatches(header.typ())) {
                throw new JwtException(Code.CLAIM_INVALID, "typ", "unexpected token type");
            }
            if (issuer != null) {
                String iss = claims.issuer().orElseThrow(
                        () -> new JwtException(Code.CLAIM_MISSING, Claims.ISSUER, "claim 'iss' is required"));
                if (!iss.equals(issuer)) {
                    throw new JwtException(Code.CLAIM_INVALID, Claims.ISSUER, "unexpected issuer");
                }
            }
            if (!audiences.isEmpty()) {
                if (!claims.has(Claims.AUDIENCE)) {
                    throw new JwtException(Code.CLAIM_MISSING, Claims.AUDIENCE, "claim 'aud' is required");
                }
                if (!containsAny(claims.audience(), audiences)) {
                    throw new JwtException(Code.CLAIM_INVALID, Claims.AUDIENCE, "token not meant for this audience");
                }
            }
            if (subject != null) {
                String sub = claims.subject().orElseThrow(
                        () -> new JwtException(Code.CLAIM_MISSING, Claims.SUBJECT, "claim 'sub' is required"));
                if (!sub.equals(subject)) {
                    throw new JwtException(Code.CLAIM_INVALID, Claims.SUBJECT, "unexpected subject");
                }
            }
            for (String name : required) {
                if (!claims.has(name)) {
                    throw new JwtException(Code.CLAIM_MISSING, name, "claim '" + name + "' is required");
                }
            }
        }

        private static boolean containsAny(List<String> tokenAudiences, List<String> accepted) {
            for (String aud : tokenAudiences) {
                if (accepted.contains(aud)) {
                    return true;
                }
            }
            return false;
        }

        /** RFC 7515 §4.1.9: compare case-insensitively, "application/" prefix optional. */
        private boolean typeMatches(String typ) {
            if (typ == null) {
                return false;
            }
            String t = normalizeType(typ);
            for (String expected : types) {
                if (t.equals(normalizeType(expected))) {
                    return true;
                }
            }
            return false;
        }
    }

    static String normalizeType(String typ) {
        String t = typ.toLowerCase(Locale.ROOT);
        return t.startsWith("application/") ? t.substring("application/".length()) : t;
    }

    /** Configures a verifier. Every setting has a safe default except the keys. */
    public static final class Builder {
        private final List<Jwk> keys = new ArrayList<>();
        private final Set<Algorithm> explicitAlgorithms = EnumSet.noneOf(Algorithm.class);
        private final Set<String> audiences = new LinkedHashSet<>();
        private final Set<String> requiredClaims = new LinkedHashSet<>();
        private final Set<String> understoodCritical = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxAge;
        private String issuer;
        private String subject;
        private final List<String> types = new ArrayList<>();
        private boolean requireExpiration = true;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private int maxDepth = Json.DEFAULT_MAX_DEPTH;

        private Builder() {
        }

        /** A key to verify with; a private key contributes its public half. */
        public Builder key(Jwk key) {
            keys.add(Objects.requireNonNull(key));
            return this;
        }

        public Builder key(java.security.Key key) {
            return key(Jwk.of(key));
        }

        public Builder keys(Jwks jwks) {
            keys.addAll(jwks.keys());
            return this;
        }

        public Builder keys(Collection<? extends Jwk> more) {
            more.forEach(this::key);
            return this;
        }

        /**
         * The allowed algorithms. When not set, each key allows exactly its own {@code alg}, and a key without
         * {@code alg} is an error: the token never gets to choose.
         */
        public Builder algorithms(Algorithm... algs) {
            explicitAlgorithms.addAll(List.of(algs));
            return this;
        }

        public Builder algorithms(Collection<Algorithm> algs) {
            explicitAlgorithms.addAll(algs);
            return this;
        }

        public Builder issuer(String iss) {
            this.issuer = iss;
            return this;
        }

        /** Accepted audiences: the token's {@code aud} must contain at least one. */
        public Builder audience(String... aud) {
            audiences.addAll(List.of(aud));
            return this;
        }

        public Builder subject(String sub) {
            this.subject = sub;
            return this;
        }

        /** Expected {@code typ} header, e.g. {@code at+jwt} (RFC 9068 §4); compared as RFC 7515 §4.1.9 says. */
        public Builder type(String typ) {
            types.clear();
            if (typ != null) {
                types.add(typ);
            }
            return this;
        }

        /**
         * Any one of these {@code typ} headers, e.g. {@code at+jwt} and {@code JWT} for an issuer that changes how it
         * types its access tokens; none (the default) accepts any type.
         */
        public Builder types(String... typs) {
            types.clear();
            for (String t : typs) {
                types.add(Objects.requireNonNull(t));
            }
            return this;
        }

        public Builder requireClaims(String... names) {
            requiredClaims.addAll(List.of(names));
            return this;
        }

        /** {@code exp} is required unless this is set to false. */
        public Builder requireExpiration(boolean required) {
            this.requireExpiration = required;
            return this;
        }

        public Builder clockSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative");
            }
            this.clockSkew = skew;
            return this;
        }

        /** Rejects tokens whose {@code iat} is older than this (and requires {@code iat}). */
        public Builder maxAge(Duration age) {
            this.maxAge = age;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public Builder maxTokenLength(int chars) {
            if (chars < 16) {
                throw new IllegalArgumentException("max token length too small");
            }
            this.maxTokenLength = chars;
            return this;
        }

        public Builder maxJsonDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("max JSON depth must be positive");
            }
            this.maxDepth = depth;
            return this;
        }

        /** {@code crit} extensions the caller handles itself; any other listed extension is rejected. */
        public Builder understoodCritical(String... names) {
            if (List.of(names).contains("b64")) {
                // RFC 7797 changes how the payload is encoded and signed; Jot always decodes it as base64url,
                // so claiming to understand b64 would verify something other than what was signed.
                throw new IllegalArgumentException("Jot does not implement RFC 7797 (b64)");
            }
            understoodCritical.addAll(List.of(names));
            return this;
        }

        public JwtVerifier build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("a verifier needs at least one key");
            }
            new Jwks(keys); // duplicate kids and mixed secret/public sets are ambiguous
            List<KeyEntry> entries = new ArrayList<>();
            for (Jwk key : keys) {
                entries.add(entry(key));
            }
            return new JwtVerifier(this, entries);
        }

        private KeyEntry entry(Jwk key) {
            if (!key.permits("verify")) {
                throw JwtException.invalidKey("key " + key + " is not permitted to verify (use/key_ops)");
            }
            Set<Algorithm> algs = EnumSet.noneOf(Algorithm.class);
            if (explicitAlgorithms.isEmpty()) {
                if (key.alg() == null) {
                    throw new IllegalStateException("key " + key + " has no alg: name the allowed algorithms");
                }
                algs.add(key.alg());
            } else {
                for (Algorithm a : explicitAlgorithms) {
                    if (key.alg() != null && key.alg() != a) {
                        continue;
                    }
                    if (key instanceof OctJwk oct && a.isSymmetric() && oct.length() < a.hashBytes()) {
                        throw JwtException.invalidKey(a + " needs a key of at least " + a.hashBytes() + " bytes");
                    }
                    if (JwkRules.suitsFamily(key, a)) {
                        algs.add(a);
                    }
                }
            }
            if (algs.isEmpty()) {
                throw JwtException.invalidKey("key " + key + " suits none of the allowed algorithms");
            }
            Jwk verifyKey = key instanceof OctJwk ? key : key.toPublicJwk();
            Map<Algorithm, Crypto.Check> checks = new EnumMap<>(Algorithm.class);
            for (Algorithm a : algs) {
                checks.put(a, Crypto.check(a, verifyKey));
            }
            return new KeyEntry(key.kid(), Map.copyOf(checks));
        }
    }
}
