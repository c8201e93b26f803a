package dev.jot.server.config;

import dev.jot.jwt.Algorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Everything the server needs to start, validated once. Read from the command line, {@code JOT_*} environment
 * variables and the config file by {@link #read}, or built in code through {@link #builder()}. Every setting is
 * described in {@link Settings}, with its default and bounds; the components here are their typed values.
 * Secrets ({@code dbPassword}, {@code hmacSecret}, {@code masterKey}) never appear in {@link #toString()}.
 *
 * @param issuer   the {@code iss} of issued tokens; null means {@code http://localhost:<bound port>}
 * @param audience the {@code aud} of issued tokens; null means the issuer
 * @param sessions refresh-token lifetimes and the reuse grace window
 * @param keyRotation how long a signing key signs before the next one takes over
 * @param values   every setting's value (defaults included), for {@link #get}: settings read in one place need
 *                 no component of their own
 */
public record ServerConfig(int port, String bind, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                           String issuer, String audience, Duration accessTokenTtl, Algorithm signingAlg,
                           byte[] hmacSecret, byte[] masterKey, Argon2Params argon2, Sessions sessions,
                           Duration keyRotation, Map<Setting<?>, Object> values) {

    public ServerConfig {
        hmacSecret = hmacSecret == null ? null : hmacSecret.clone();
        masterKey = masterKey == null ? null : masterKey.clone();
        values = Collections.unmodifiableMap(new HashMap<>(values));
    }

    /** The value of {@code setting}: as configured, or its default (null when it has none). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object value = values.containsKey(setting) ? values.get(setting) : setting.defaultValue();
        return value instanceof byte[] bytes ? (T) bytes.clone() : (T) value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code JOT_*} variables (pass {@code System.getenv()}) and the config file {@code JOT_CONFIG} names;
     * unset or blank ones keep their default.
     */
    public static ServerConfig fromEnv(Map<String, String> env) {
        return envBuilder(env).build();
    }

    /**
     * A builder preset from {@code JOT_*} variables and the config file, for callers that layer more options on top.
     * Values are parsed and bounded here; the rules that tie settings together are checked in {@code build()}.
     */
    public static Builder envBuilder(Map<String, String> env) {
        return SettingsReader.read(env, Map.of());
    }

    /**
     * The configuration a command line gives: each setting from {@code flags} (text as typed, by setting), else
     * from {@code env}, else from the config file ({@code --config} or {@code JOT_CONFIG}), else its default.
     */
    public static ServerConfig read(Map<String, String> env, Map<Setting<?>, String> flags) {
        return SettingsReader.read(env, flags).build();
    }

    /** The JDBC URL actually used: the configured one or an H2 file database in the data directory. */
    public String effectiveDbUrl() {
        if (dbUrl != null) {
            return dbUrl;
        }
        // PostgreSQL mode keeps H2 close to production SQL; lower-case identifiers match PostgreSQL's folding.
        // DB_CLOSE_ON_EXIT=FALSE: the server closes the database itself when it stops (after its background
        // threads), instead of H2's own shutdown hook closing it under them.
        // WRITE_DELAY=0: a commit is written to the file before it returns. H2's default (500 ms) lost 63 of 988
        // acknowledged registrations to a kill -9 (bench/fault-kill.sh): a 201 must mean the account exists.
        // TRACE_LEVEL_FILE=0: no jot.trace.db, which H2 would create later with the process's umask and fill with
        // failing statements; the server logs database errors itself.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("jot")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                + ";TRACE_LEVEL_FILE=0";
    }

    /**
     * True when the server will use the embedded database and its file does not exist yet: a first start, which
     * has no signing key either.
     */
    public boolean embeddedDatabaseIsNew() {
        return dbUrl == null && !java.nio.file.Files.exists(dataDir.toAbsolutePath().normalize().resolve("jot.mv.db"));
    }

    /** {@link #effectiveDbUrl()} with any {@code password=} parameter masked: safe to print or log. */
    public String printableDbUrl() {
        return effectiveDbUrl().replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public String effectiveIssuer(int boundPort) {
        return issuer != null ? issuer : (get(Settings.TLS_CERT) != null ? "https" : "http") + "://localhost:" + boundPort;
    }

    public String effectiveAudience(int boundPort) {
        return audience != null ? audience : effectiveIssuer(boundPort);
    }

    @Override
    public byte[] hmacSecret() {
        return hmacSecret == null ? null : hmacSecret.clone();
    }

    @Override
    public byte[] masterKey() {
        return masterKey == null ? null : masterKey.clone();
    }

    /** Equal when every setting has an equal value (secrets compared, never printed). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ServerConfig c)) {
            return false;
        }
        for (Setting<?> s : Settings.ALL) {
            Object a = get(s);
            Object b = c.get(s);
            if (!(a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : Objects.equals(a, b))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Every setting that has a value, by name; secrets show as {@code ***}. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "ServerConfig[", "]");
        for (Setting<?> s : Settings.ALL) {
            Object v = get(s);
            if (v != null) {
                out.add(s.name() + "=" + (s.secret() ? "***" : s == Settings.DB_URL ? printableDbUrl() : show(v)));
            }
        }
        return out.toString();
    }

    private static String show(Object v) {
        return v instanceof Duration d ? Durations.format(d) : v instanceof byte[] ? "***" : String.valueOf(v);
    }

    /**
     * Immutable-config builder. A value not set keeps its setting's default ({@link Settings}); {@link #build()}
     * checks each value against its setting's bounds, then the rules that tie settings together.
     */
    public static final class Builder {
        private final Map<Setting<?>, Object> values = new HashMap<>();

        private Builder() {
        }

        /** Sets {@code setting}; null brings back its default. */
        public <T> Builder set(Setting<T> setting, T value) {
            if (value == null) {
                values.remove(setting);
            } else {
                values.put(setting, value instanceof byte[] bytes ? bytes.clone() : value);
            }
            return this;
        }

        /** The value set, or the setting's default. */
        @SuppressWarnings("unchecked")
        <T> T get(Setting<T> setting) {
            Object value = values.get(setting);
            return value != null ? (T) value : setting.defaultValue();
        }

        public Builder port(int v) { return set(Settings.PORT, v); }
        public Builder bind(String v) { return set(Settings.BIND, v); }
        public Builder dataDir(Path v) { return set(Settings.DATA_DIR, v); }
        public Builder dbUrl(String v) { return set(Settings.DB_URL, v); }
        public Builder dbUser(String v) { return set(Settings.DB_USER, v); }
        public Builder dbPassword(String v) { return set(Settings.DB_PASSWORD, v); }
        public Builder issuer(String v) { return set(Settings.ISSUER, v); }
        public Builder audience(String v) { return set(Settings.AUDIENCE, v); }
        public Builder accessTokenTtl(Duration v) { return set(Settings.ACCESS_TOKEN_TTL, v); }
        public Builder signingAlg(Algorithm v) { return set(Settings.SIGNING_ALG, v); }
        public Builder hmacSecret(byte[] v) { return set(Settings.HMAC_SECRET, v); }
        public Builder masterKey(byte[] v) { return set(Settings.MASTER_KEY, v); }
        public Builder keyRotation(Duration v) { return set(Settings.KEY_ROTATION, v); }

        public Builder argon2(Argon2Params v) {
            return set(Settings.ARGON2_MEMORY_KIB, v.memoryKiB()).set(Settings.ARGON2_ITERATIONS, v.iterations())
                    .set(Settings.ARGON2_PARALLELISM, v.parallelism());
        }

        public Builder sessions(Sessions v) {
            return set(Settings.REFRESH_TOKEN_TTL, v.refreshTokenTtl())
                    .set(Settings.SESSION_LIFETIME, v.familyLifetime())
                    .set(Settings.REFRESH_REUSE_GRACE, v.reuseGrace());
        }

        public ServerConfig build() {
            for (Setting<?> s : Settings.ALL) { // in order: of several bad values, the first is reported
                if (values.containsKey(s)) {
                    check(s, values.get(s));
                }
            }
            Algorithm signingAlg = get(Settings.SIGNING_ALG);
            if (signingAlg == Algorithm.HS256 && get(Settings.HMAC_SECRET) == null) {
                // RFC 7518 §3.2: an HMAC key must be at least as long as the hash output (the setting's bound).
                throw new ConfigException(Settings.HMAC_SECRET, "HS256 needs a base64url secret of at least 32 bytes");
            }
            Sessions sessions = new Sessions(get(Settings.REFRESH_TOKEN_TTL), get(Settings.SESSION_LIFETIME),
                    get(Settings.REFRESH_REUSE_GRACE));
            if (sessions.familyLifetime().compareTo(sessions.refreshTokenTtl()) < 0) {
                throw new ConfigException(Settings.SESSION_LIFETIME, "must be at least "
                        + Settings.REFRESH_TOKEN_TTL.spelled() + ": " + Durations.format(sessions.refreshTokenTtl()));
            }
            Duration accessTokenTtl = get(Settings.ACCESS_TOKEN_TTL);
            Duration keyRotation = get(Settings.KEY_ROTATION);
            // A rotation period shorter than an access token's life would keep many retired keys published.
            if (keyRotation.compareTo(accessTokenTtl.multipliedBy(2)) < 0) {
                throw new ConfigException(Settings.KEY_ROTATION, "must be at least twice "
                        + Settings.ACCESS_TOKEN_TTL.spelled() + ": " + Durations.format(accessTokenTtl.multipliedBy(2)));
            }
            Argon2Params argon2 = new Argon2Params(get(Settings.ARGON2_MEMORY_KIB), get(Settings.ARGON2_ITERATIONS),
                    get(Settings.ARGON2_PARALLELISM));
            return new ServerConfig(get(Settings.PORT), get(Settings.BIND), get(Settings.DATA_DIR),
                    get(Settings.DB_URL), get(Settings.DB_USER), get(Settings.DB_PASSWORD), get(Settings.ISSUER),
                    get(Settings.AUDIENCE), accessTokenTtl, signingAlg, get(Settings.HMAC_SECRET),
                    get(Settings.MASTER_KEY), argon2, sessions, keyRotation, values);
        }

        @SuppressWarnings("unchecked")
        private static <T> void check(Setting<T> setting, Object value) {
            setting.check((T) value);
        }
    }
}
