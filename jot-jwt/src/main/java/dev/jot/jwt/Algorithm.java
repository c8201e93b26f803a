package dev.jot.jwt;

import java.util.Optional;

/**
 * The JWS algorithms Jot implements (RFC 7518 §3, RFC 8037 §3.1). {@code none} is deliberately absent:
 * the verifier cannot be configured to accept unsecured tokens.
 */
public enum Algorithm {
    HS256(Family.HMAC, "HmacSHA256", 32, null),
    HS384(Family.HMAC, "HmacSHA384", 48, null),
    HS512(Family.HMAC, "HmacSHA512", 64, null),
    RS256(Family.RSA, "SHA256withRSA", 32, null),
    RS384(Family.RSA, "SHA384withRSA", 48, null),
    RS512(Family.RSA, "SHA512withRSA", 64, null),
    PS256(Family.RSA_PSS, "RSASSA-PSS", 32, null),
    PS384(Family.RSA_PSS, "RSASSA-PSS", 48, null),
    PS512(Family.RSA_PSS, "RSASSA-PSS", 64, null),
    ES256(Family.ECDSA, "SHA256withECDSAinP1363Format", 32, EcCurve.P_256),
    ES384(Family.ECDSA, "SHA384withECDSAinP1363Format", 48, EcCurve.P_384),
    ES512(Family.ECDSA, "SHA512withECDSAinP1363Format", 64, EcCurve.P_521),
    EdDSA(Family.EDDSA, "Ed25519", 0, null);

    /** What kind of key an algorithm needs; a key's type fixes its family (DESIGN rule 1). */
    public enum Family { HMAC, RSA, RSA_PSS, ECDSA, EDDSA }

    private final Family family;
    private final String jcaName;
    private final int hashBytes;
    private final EcCurve curve;

    Algorithm(Family family, String jcaName, int hashBytes, EcCurve curve) {
        this.family = family;
        this.jcaName = jcaName;
        this.hashBytes = hashBytes;
        this.curve = curve;
    }

    public Family family() {
        return family;
    }

    /** The JCA algorithm name used with {@code Mac} or {@code Signature}. */
    String jcaName() {
        return jcaName;
    }

    /** Output size of the hash; for HMAC also the minimum key size (RFC 7518 §3.2). */
    public int hashBytes() {
        return hashBytes;
    }

    /** For ECDSA, the one curve this algorithm is defined on (RFC 7518 §3.4). */
    public Optional<EcCurve> curve() {
        return Optional.ofNullable(curve);
    }

    /** {@code true} for the symmetric (shared secret) algorithms. */
    public boolean isSymmetric() {
        return family == Family.HMAC;
    }

    /** The registered name, exactly as in a JOSE header (case-sensitive, RFC 7515 §4.1.1). */
    public String jwsName() {
        return name();
    }

    /** Looks up a JOSE {@code alg} value; case-sensitive, so "none", "None" and "hs256" are all unknown. */
    public static Optional<Algorithm> fromJws(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name) {
            case "HS256" -> Optional.of(HS256);
            case "HS384" -> Optional.of(HS384);
            case "HS512" -> Optional.of(HS512);
            case "RS256" -> Optional.of(RS256);
            case "RS384" -> Optional.of(RS384);
            case "RS512" -> Optional.of(RS512);
            case "PS256" -> Optional.of(PS256);
            case "PS384" -> Optional.of(PS384);
            case "PS512" -> Optional.of(PS512);
            case "ES256" -> Optional.of(ES256);
            case "ES384" -> Optional.of(ES384);
            case "ES512" -> Optional.of(ES512);
            case "EdDSA" -> Optional.of(EdDSA);
            default -> Optional.empty();
        };
    }
}
