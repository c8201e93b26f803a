package dev.jot.jwt;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a token (or a key) was refused. The {@link Code} is stable and meant for programs (HTTP layers map it to
 * a status and {@code WWW-Authenticate}); the message is for people and never contains key material.
 */
public final class JwtException extends RuntimeException {

    /** A closed list of reasons. Names are part of Jot's public contract (the CLI prints them). */
    public enum Code {
        /** Too long, not three base64url parts, bad base64url, or a header/payload that is not the JSON we accept. */
        MALFORMED,
        /** The header's {@code alg} is unknown, {@code none}, or not in the verifier's allow-list. */
        UNSUPPORTED_ALGORITHM,
        /** The header lists a {@code crit} extension this verifier does not understand. */
        UNSUPPORTED_CRITICAL,
        /** No configured key matches the header's {@code kid} and {@code alg}. */
        KEY_NOT_FOUND,
        /** The signature does not verify. */
        BAD_SIGNATURE,
        /** {@code exp} is in the past (beyond the allowed clock skew). */
        EXPIRED,
        /** {@code nbf} (or {@code iat}) is in the future (beyond the allowed clock skew). */
        NOT_YET_VALID,
        /** A claim (or {@code typ}) has the wrong type or an unexpected value. */
        CLAIM_INVALID,
        /** A required claim is absent. */
        CLAIM_MISSING,
        /** A key is unusable: wrong type, too short, not on its curve, wrong {@code use}/{@code key_ops}. */
        INVALID_KEY
    }

    private final Code code;
    private final String claim;

    public JwtException(Code code, String message) {
        this(code, null, message, null);
    }

    public JwtException(Code code, String claim, String message) {
        this(code, claim, message, null);
    }

    public JwtException(Code code, String claim, String message, Throwable cause) {
        super(message, cause, false, cause != null);
        this.code = Objects.requireNonNull(code);
        this.claim = claim;
    }

    public Code code() {
        return code;
    }

    /** For claim failures, the name of the claim (or header parameter such as {@code typ}) that failed. */
    public Optional<String> claim() {
        return Optional.ofNullable(claim);
    }

    static JwtException malformed(String message) {
        return new JwtException(Code.MALFORMED, message);
    }

    static JwtException invalidKey(String message) {
        return new JwtException(Code.INVALID_KEY, message);
    }
}
