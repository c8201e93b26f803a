package dev.jot.jwt;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs JWTs (compact JWS) with one private or secret key. Built once, thread-safe; the protected header is
 * fixed at build time and encoded once.
 *
 * <pre>{@code
 * JwtSigner signer = JwtSigner.builder(privateJwk).type("at+jwt").build();
 * String token = signer.sign(Claims.builder().subject("42").expiresAt(exp).build());
 * }</pre>
 */
public final class JwtSigner {

    private final Algorithm alg;
    private final String kid;
    private final byte[] encodedHeader;
    private final Crypto.Sign sign;

    private JwtSigner(Algorithm alg, String kid, Map<String, Object> header, Crypto.Sign sign) {
        this.alg = alg;
        this.kid = kid;
        this.encodedHeader = Base64Url.encode(Json.writeBytes(header)).getBytes(StandardCharsets.US_ASCII);
        this.sign = sign;
    }

    public static Builder builder(Jwk key) {
        return new Builder(key);
    }

    public Algorithm algorithm() {
        return alg;
    }

    /** The {@code kid} written into every header, or null. */
    public String keyId() {
        return kid;
    }

    public String sign(Claims claims) {
        return sign(Json.writeBytes(claims.asMap()));
    }

    /** Signs any payload bytes (a JWS that is not necessarily a JWT). */
    public String sign(byte[] payload) {
        int headerLen = encodedHeader.length;
        int payloadLen = Base64Url.encodedLength(payload.length);
        int sigLen = Base64Url.encodedLength(signatureLength());
        byte[] out = new byte[headerLen + 1 + payloadLen + 1 + sigLen + 8];
        System.arraycopy(encodedHeader, 0, out, 0, headerLen);
        out[headerLen] = '.';
        int pos = Base64Url.encodeTo(payload, 0, payload.length, out, headerLen + 1);
        byte[] signature = sign.sign(out, 0, pos);
        out[pos++] = '.';
        if (out.length - pos < Base64Url.encodedLength(signature.length)) {
            out = java.util.Arrays.copyOf(out, pos + Base64Url.encodedLength(signature.length));
        }
        pos = Base64Url.encodeTo(signature, 0, signature.length, out, pos);
        return new String(out, 0, pos, StandardCharsets.ISO_8859_1);
    }

    private int signatureLength() {
        return switch (alg.family()) {
            case HMAC -> alg.hashBytes();
            case ECDSA -> 2 * alg.curve().orElseThrow().fieldBytes();
            case EDDSA -> 64;
            case RSA, RSA_PSS -> 512;
        };
    }

    /** Configures a signer. */
    public static final class Builder {
        private final Jwk key;
        private Algorithm alg;
        private String kid;
        private boolean kidSet;
        private String type = "JWT";
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(Jwk key) {
            this.key = Objects.requireNonNull(key);
            this.alg = key.alg();
            this.kid = key.kid();
        }

        /** The algorithm; defaults to the key's {@code alg}, or to the natural one for its type. */
        public Builder algorithm(Algorithm algorithm) {
            this.alg = algorithm;
            return this;
        }

        /** Overrides the {@code kid} header (defaults to the key's {@code kid}; null to omit). */
        public Builder keyId(String keyId) {
            this.kid = keyId;
            this.kidSet = true;
            return this;
        }

        /** The {@code typ} header, {@code JWT} by default; {@code at+jwt} for RFC 9068 access tokens; null to omit. */
        public Builder type(String typ) {
            this.type = typ;
            return this;
        }

        /** An additional protected header parameter. */
        public Builder header(String name, Object value) {
            if (java.util.Set.of("alg", "kid", "typ", "crit", "jwk", "jku", "x5u", "x5c").contains(name)) {
                throw new IllegalArgumentException("header '" + name + "' is set by the signer or not supported");
            }
            extra.put(name, value);
            return this;
        }

        public JwtSigner build() {
            Algorithm a = alg != null ? alg : defaultAlgorithm(key);
            if (key.alg() != null && key.alg() != a) {
                throw JwtException.invalidKey("key is restricted to " + key.alg());
            }
            if (!key.permits("sign")) {
                throw JwtException.invalidKey("key is not permitted to sign (use/key_ops)");
            }
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", a.jwsName());
            if (type != null) {
                header.put("typ", type);
            }
            String k = kidSet ? kid : key.kid();
            if (k != null) {
                header.put("kid", k);
            }
            header.putAll(extra);
            return new JwtSigner(a, k, header, Crypto.signer(a, key));
        }

        private static Algorithm defaultAlgorithm(Jwk key) {
            return switch (key) {
                case OctJwk o -> o.length() >= 64 ? Algorithm.HS512 : o.length() >= 48 ? Algorithm.HS384 : Algorithm.HS256;
                case RsaJwk r -> Algorithm.RS256;
                case EcJwk e -> switch (e.curve()) {
                    case P_256 -> Algorithm.ES256;
                    case P_384 -> Algorithm.ES384;
                    case P_521 -> Algorithm.ES512;
                };
                case OkpJwk o -> Algorithm.EdDSA;
            };
        }
    }
}
