package dev.jot.server.config;

import dev.jot.jwt.Algorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Everything the server needs to start, validated once. Built from {@code JOT_*} environment variables by
 * {@link #fromEnv(Map)} or in code through {@link #builder()}; every option has a default (see {@link Builder}).
 * Secrets ({@code dbPassword}, {@code hmacSecret}, {@code masterKey}) never appear in {@link #toString()}.
 *
 * @param issuer   the {@code iss} of issued tokens; null means {@code http://localhost:<bound port>}
 * @param audience the {@code aud} of issued tokens; null means the issuer
 * @param sessions refresh-token lifetimes and the reuse grace window
 * @param keyRotation how long a signing key signs before the next one takes over
 */
public record ServerConfig(int port, String bind, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                           String issuer, String audience, Duration accessTokenTtl, Algorithm signingAlg,
                           byte[] hmacSecret, byte[] masterKey, Argon2Params argon2, Sessions sessions,
                           Duration keyRotation) {

    /** The algorithms a generated (or, for HS256, configured) signing key may use. */
    public static final Set<Algorithm> SIGNING_ALGORITHMS =
            Set.of(Algorithm.RS256, Algorithm.ES256, Algorithm.EdDSA, Algorithm.HS256);

    public ServerConfig {
        hmacSecret = hmacSecret == null ? null : hmacSecret.clone();
        masterKey = masterKey == null ? null : masterKey.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads {@code JOT_*} variables (pass {@code System.getenv()}); unset or blank ones keep their default. */
    public static ServerConfig fromEnv(Map<String, String> env) {
        return envBuilder(env).build();
    }

    /**
     * A builder preset from {@code JOT_*} variables, for callers that layer more options on top (command-line
     * flags win over the environment). Values are parsed here; cross-option checks happen in {@code build()}.
     */
    public static Builder envBuilder(Map<String, String> env) {
        return EnvReader.read(env);
    }

    /** The JDBC URL actually used: the configured one or an H2 file database in the data directory. */
    public String effectiveDbUrl() {
        if (dbUrl != null) {
            return dbUrl;
        }
        // PostgreSQL mode keeps H2 close to production SQL; lower-case identifiers match PostgreSQL's folding.
        // DB_CLOSE_ON_EXIT=FALSE: the server closes the database itself when it stops (after its background
        // threads), instead of H2's own shutdown hook closing it under them.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("jot")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
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
        return issuer != null ? issuer : "http://localhost:" + boundPort;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerConfig c && toString().equals(c.toString())
                && Arrays.equals(hmacSecret, c.hmacSecret) && Arrays.equals(masterKey, c.masterKey)
                && java.util.Objects.equals(dbPassword, c.dbPassword);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", bind=" + bind + ", dataDir=" + dataDir + ", dbUrl=" + printableDbUrl()
                + ", dbUser=" + dbUser + ", issuer=" + issuer + ", audience=" + audience
                + ", accessTokenTtl=" + Durations.format(accessTokenTtl) + ", signingAlg=" + signingAlg
                + ", argon2=" + argon2 + ", sessions=" + sessions + ", keyRotation=" + Durations.format(keyRotation) + "]";
    }

    /** Decodes a base64url (or base64) secret option, naming the option when it is not valid. */
    static byte[] decodeSecret(String option, String value) {
        try {
            return Base64.getUrlDecoder().decode(value.trim().replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option, "is not valid base64url");
        }
    }

    /** Immutable-config builder; {@link #build()} validates. Defaults are the documented ones. */
    public static final class Builder {
        private int port = 8080;
        private String bind = "127.0.0.1";
        private Path dataDir = Path.of("jot-data");
        private String dbUrl;
        private String dbUser = "";
        private String dbPassword = "";
        private String issuer;
        private String audience;
        private Duration accessTokenTtl = Duration.ofMinutes(15);
        private Algorithm signingAlg = Algorithm.RS256;
        private byte[] hmacSecret;
        private byte[] masterKey;
        private Argon2Params argon2 = Argon2Params.OWASP_BASELINE;
        private Sessions sessions = Sessions.DEFAULTS;
        private Duration keyRotation = Duration.ofDays(30);

        private Builder() {
        }

        public Builder port(int v) { port = v; return this; }
        public Builder bind(String v) { bind = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder dbUrl(String v) { dbUrl = v; return this; }
        public Builder dbUser(String v) { dbUser = v; return this; }
        public Builder dbPassword(String v) { dbPassword = v; return this; }
        public Builder issuer(String v) { issuer = v; return this; }
        public Builder audience(String v) { audience = v; return this; }
        public Builder accessTokenTtl(Duration v) { accessTokenTtl = v; return this; }
        public Builder signingAlg(Algorithm v) { signingAlg = v; return this; }
        public Builder hmacSecret(byte[] v) { hmacSecret = v; return this; }
        public Builder masterKey(byte[] v) { masterKey = v; return this; }
        public Builder argon2(Argon2Params v) { argon2 = v; return this; }
        public Builder sessions(Sessions v) { sessions = v; return this; }
        public Builder keyRotation(Duration v) { keyRotation = v; return this; }

        public ServerConfig build() {
            if (port < 0 || port > 65535) {
                throw new ConfigException("JOT_PORT", "must be between 0 and 65535 (0 picks a free port), was " + port);
            }
            if (bind == null || bind.isBlank()) {
                throw new ConfigException("JOT_BIND", "must be a host name or IP address");
            }
            if (dataDir == null) {
                throw new ConfigException("JOT_DATA_DIR", "must be a directory path");
            }
            if (dbUrl != null && !(dbUrl.startsWith("jdbc:h2:") || dbUrl.startsWith("jdbc:postgresql:"))) {
                throw new ConfigException("JOT_DB_URL", "must start with jdbc:postgresql: or jdbc:h2:");
            }
            checkUrl("JOT_ISSUER", issuer);
            if (audience != null && audience.isBlank()) {
                throw new ConfigException("JOT_AUDIENCE", "must not be blank");
            }
            if (accessTokenTtl == null || accessTokenTtl.toSeconds() < 10 || accessTokenTtl.toHours() > 24) {
                throw new ConfigException("JOT_ACCESS_TOKEN_TTL", "must be between 10s and 24h");
            }
            if (!SIGNING_ALGORITHMS.contains(signingAlg)) {
                throw new ConfigException("JOT_SIGNING_ALG", "must be one of RS256, ES256, EdDSA, HS256");
            }
            if (signingAlg == Algorithm.HS256 && (hmacSecret == null || hmacSecret.length < 32)) {
                // RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
                throw new ConfigException("JOT_HMAC_SECRET", "HS256 needs a base64url secret of at least 32 bytes");
            }
            if (masterKey != null && masterKey.length != 32) {
                throw new ConfigException("JOT_MASTER_KEY", "must be 32 bytes, base64url-encoded");
            }
            sessions.check();
            // A rotation period shorter than an access token's life would keep many retired keys published.
            if (keyRotation == null || keyRotation.compareTo(Duration.ofHours(1)) < 0
                    || keyRotation.compareTo(accessTokenTtl.multipliedBy(2)) < 0 || keyRotation.toDays() > 3650) {
                throw new ConfigException("JOT_KEY_ROTATION", "must be between 1h (and twice the access token lifetime) and 3650d");
            }
            return new ServerConfig(port, bind, dataDir, dbUrl, dbUser, dbPassword, issuer, audience,
                    accessTokenTtl, signingAlg, hmacSecret, masterKey, argon2, sessions, keyRotation);
        }

        private static void checkUrl(String option, String value) {
            if (value == null) {
                return;
            }
            try {
                java.net.URI u = new java.net.URI(value);
                if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                        || u.getQuery() != null || u.getFragment() != null) {
                    throw new ConfigException(option, "must be an http(s) URL without query or fragment");
                }
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(option, "is not a valid URL");
            }
        }
    }
}
