package dev.jot.server.config;

import dev.jot.jwt.Algorithm;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** Maps {@code JOT_*} environment variables onto a {@link ServerConfig.Builder}, naming the variable on error. */
final class EnvReader {
    private final Map<String, String> env;
    private final ServerConfig.Builder b = ServerConfig.builder();

    private EnvReader(Map<String, String> env) {
        this.env = env;
    }

    static ServerConfig.Builder read(Map<String, String> env) {
        return new EnvReader(env).readAll();
    }

    private ServerConfig.Builder readAll() {
        opt("JOT_PORT", v -> integer("JOT_PORT", v), b::port);
        opt("JOT_BIND", v -> v, b::bind);
        opt("JOT_DATA_DIR", Path::of, b::dataDir);
        opt("JOT_DB_URL", v -> v, b::dbUrl);
        opt("JOT_DB_USER", v -> v, b::dbUser);
        opt("JOT_DB_PASSWORD", v -> v, b::dbPassword);
        opt("JOT_ISSUER", v -> v, b::issuer);
        opt("JOT_AUDIENCE", v -> v, b::audience);
        opt("JOT_ACCESS_TOKEN_TTL", v -> Durations.parse("JOT_ACCESS_TOKEN_TTL", v), b::accessTokenTtl);
        opt("JOT_SIGNING_ALG", EnvReader::algorithm, b::signingAlg);
        opt("JOT_HMAC_SECRET", v -> ServerConfig.decodeSecret("JOT_HMAC_SECRET", v), b::hmacSecret);
        opt("JOT_MASTER_KEY", v -> ServerConfig.decodeSecret("JOT_MASTER_KEY", v), b::masterKey);
        opt("JOT_KEY_ROTATION", v -> Durations.parse("JOT_KEY_ROTATION", v), b::keyRotation);
        Sessions s = Sessions.DEFAULTS;
        b.sessions(new Sessions(
                durationOr("JOT_REFRESH_TOKEN_TTL", s.refreshTokenTtl()),
                durationOr("JOT_SESSION_LIFETIME", s.familyLifetime()),
                durationOr("JOT_REFRESH_REUSE_GRACE", s.reuseGrace())));
        Argon2Params d = Argon2Params.OWASP_BASELINE;
        b.argon2(new Argon2Params(
                intOr("JOT_ARGON2_MEMORY_KIB", d.memoryKiB()),
                intOr("JOT_ARGON2_ITERATIONS", d.iterations()),
                intOr("JOT_ARGON2_PARALLELISM", d.parallelism())));
        return b;
    }

    private <T> void opt(String name, Function<String, T> parse, Consumer<T> set) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            set.accept(parse.apply(v.trim()));
        }
    }

    private java.time.Duration durationOr(String name, java.time.Duration dflt) {
        String v = env.get(name);
        return v == null || v.isBlank() ? dflt : Durations.parse(name, v.trim());
    }

    private int intOr(String name, int dflt) {
        String v = env.get(name);
        return v == null || v.isBlank() ? dflt : integer(name, v.trim());
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "expected an integer, was '" + v + "'");
        }
    }

    private static Algorithm algorithm(String v) {
        return Algorithm.fromJws(v).filter(ServerConfig.SIGNING_ALGORITHMS::contains)
                .orElseThrow(() -> new ConfigException("JOT_SIGNING_ALG", "must be one of RS256, ES256, EdDSA, HS256"));
    }
}
