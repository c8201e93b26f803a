package dev.jot.jwt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JWT claims set (RFC 7519 §4): the registered claims, typed, plus every other member as a JSON value.
 *
 * <p>Registered claims are type-checked when a claims set is created, so a string {@code exp} is an error
 * ({@link JwtException.Code#CLAIM_INVALID} naming {@code exp}), never "absent". Instances are immutable.
 */
public final class Claims {

    public static final String ISSUER = "iss";
    public static final String SUBJECT = "sub";
    public static final String AUDIENCE = "aud";
    public static final String EXPIRATION = "exp";
    public static final String NOT_BEFORE = "nbf";
    public static final String ISSUED_AT = "iat";
    public static final String JWT_ID = "jti";

    private final Map<String, Object> members;
    private final List<String> audience;
    private final Instant expiresAt;
    private final Instant notBefore;
    private final Instant issuedAt;

    private Claims(Map<String, Object> members) {
        this.members = members;
        List<String> aud = List.of();
        Instant exp = null;
        Instant nbf = null;
        Instant iat = null;
        // One pass over the members rather than a lookup per registered claim: this runs on every verify.
        for (Map.Entry<String, Object> e : members.entrySet()) {
            String name = e.getKey();
            Object v = e.getValue();
            switch (name) {
                case ISSUER, SUBJECT, JWT_ID -> requireString(name, v);
                case AUDIENCE -> aud = readAudience(v);
                case EXPIRATION -> exp = numericDate(name, v);
                case NOT_BEFORE -> nbf = numericDate(name, v);
                case ISSUED_AT -> iat = numericDate(name, v);
                default -> {
                }
            }
        }
        this.audience = aud;
        this.expiresAt = exp;
        this.notBefore = nbf;
        this.issuedAt = iat;
    }

    /** Wraps already-parsed JSON members, checking the registered claims' types. */
    public static Claims of(Map<String, ?> members) {
        Map<String, Object> copy = new LinkedHashMap<>(members);
        return new Claims(Collections.unmodifiableMap(copy));
    }

    /** Parses a claims set from JSON text (strict: duplicates, depth). */
    public static Claims parse(String json) {
        return new Claims(Json.parseObject(json.getBytes(StandardCharsets.UTF_8), Json.DEFAULT_MAX_DEPTH));
    }

    static Claims parse(byte[] utf8, int maxDepth) {
        return new Claims(Json.parseObject(utf8, maxDepth));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> issuer() {
        return Optional.ofNullable((String) members.get(ISSUER));
    }

    public Optional<String> subject() {
        return Optional.ofNullable((String) members.get(SUBJECT));
    }

    /** The audience; a single string {@code aud} is a one-element list (RFC 7519 §4.1.3). Empty when absent. */
    public List<String> audience() {
        return audience;
    }

    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** {@code exp} or null, without an Optional (the verifier's hot path). */
    Instant exp() {
        return expiresAt;
    }

    Instant nbf() {
        return notBefore;
    }

    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    public Optional<Instant> issuedAt() {
        return Optional.ofNullable(issuedAt);
    }

    public Optional<String> jwtId() {
        return Optional.ofNullable((String) members.get(JWT_ID));
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** Any member as a JSON value ({@code Map}, {@code List}, {@code String}, {@code Boolean}, number, null). */
    public Object get(String name) {
        return members.get(name);
    }

    /** A member that must be a string when present. */
    public Optional<String> getString(String name) {
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw new JwtException(JwtException.Code.CLAIM_INVALID, name, "claim '" + name + "' is not a string");
    }

    /** A member that must be an array of strings when present; empty list when absent. */
    public List<String> getStringList(String name) {
        Object v = members.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new JwtException(JwtException.Code.CLAIM_INVALID, name, "claim '" + name + "' is not an array of strings");
    }

    /** All members, in their original order, unmodifiable. */
    public Map<String, Object> asMap() {
        return members;
    }

    public String toJson() {
        return Json.write(members);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Claims other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return "Claims" + members.keySet();
    }

    private static void requireString(String name, Object v) {
        if (!(v instanceof String)) {
            throw invalid(name, v == null ? "must not be null" : "must be a string");
        }
    }

    private static List<String> readAudience(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw invalid(AUDIENCE, "must be a string or an array of strings");
    }

    private static Instant numericDate(String name, Object v) {
        Instant t = toInstant(v);
        if (t == null) {
            throw invalid(name, "must be a NumericDate (seconds since the epoch)");
        }
        return t;
    }

    /** RFC 7519 §2 NumericDate: a JSON number of seconds, possibly fractional. */
    private static Instant toInstant(Object v) {
        try {
            if (v instanceof Long l) {
                return Instant.ofEpochSecond(l);
            }
            if (v instanceof Integer i) {
                return Instant.ofEpochSecond(i);
            }
            if (v instanceof BigInteger b) {
                return Instant.ofEpochSecond(b.longValueExact());
            }
            if (v instanceof BigDecimal d) {
                if (d.precision() - d.scale() > 19) {
                    return null; // out of range; also keeps 1e999999999 from being expanded
                }
                BigDecimal secs = d.setScale(0, java.math.RoundingMode.FLOOR);
                long nanos = d.subtract(secs).movePointRight(9).longValue();
                return Instant.ofEpochSecond(secs.longValueExact(), nanos);
            }
            return null;
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static JwtException invalid(String name, String why) {
        return new JwtException(JwtException.Code.CLAIM_INVALID, name, "claim '" + name + "' " + why);
    }

    /** Builds a claims set to sign. Times are written as whole seconds. */
    public static final class Builder {
        private LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        private boolean handedOver; // build() gave the map away; copy before the next change

        private Builder() {
        }

        public Builder issuer(String iss) {
            return claim(ISSUER, iss);
        }

        public Builder subject(String sub) {
            return claim(SUBJECT, sub);
        }

        /** One audience is written as a string, several as an array. */
        public Builder audience(String... aud) {
            return aud.length == 1 ? claim(AUDIENCE, aud[0]) : claim(AUDIENCE, List.of(aud));
        }

        public Builder audience(Collection<String> aud) {
            return aud.size() == 1 ? claim(AUDIENCE, aud.iterator().next()) : claim(AUDIENCE, List.copyOf(aud));
        }

        public Builder expiresAt(Instant exp) {
            return claim(EXPIRATION, exp.getEpochSecond());
        }

        public Builder notBefore(Instant nbf) {
            return claim(NOT_BEFORE, nbf.getEpochSecond());
        }

        public Builder issuedAt(Instant iat) {
            return claim(ISSUED_AT, iat.getEpochSecond());
        }

        public Builder jwtId(String jti) {
            return claim(JWT_ID, jti);
        }

        /** Any claim; the value must be a JSON value (Map, List, String, Boolean, Number, Instant, null). */
        public Builder claim(String name, Object value) {
            if (handedOver) {
                members = new LinkedHashMap<>(members);
                handedOver = false;
            }
            members.put(Objects.requireNonNull(name), value instanceof Instant t ? t.getEpochSecond() : value);
            return this;
        }

        public Builder claims(Map<String, ?> all) {
            all.forEach(this::claim);
            return this;
        }

        public Claims build() {
            handedOver = true;
            return new Claims(Collections.unmodifiableMap(members));
        }
    }
}
