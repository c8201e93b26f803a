package dev.jot.server.config;

import static dev.jot.server.config.Setting.Command.ADMIN;
import static dev.jot.server.config.Setting.Command.HASH_COST;

import dev.jot.jwt.Algorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the server, in the order help and the README list them. Adding a setting is adding a constant
 * here: its flag, variable, config-file key, parsing, bounds, help and README row follow (run
 * {@code ReadmeSettingsTest} with {@code -Djot.readme=write} to update the README). For the server's code to read
 * it, give {@link ServerConfig} a component and fill it in {@link ServerConfig.Builder#build()}, where the rules
 * that tie settings together live too. Defaults are written here and nowhere else.
 */
public final class Settings {

    /** Filled by {@link #define} as the constants below initialise, in the order they are written. */
    private static final List<Setting<?>> DEFINED = new ArrayList<>();

    public static final Setting<Path> CONFIG = define(Setting.of("config", Type.path()).withLabel("<FILE>")
            .alsoFor(ADMIN, HASH_COST)
            .withHelp("A .properties file of settings, keyed by the option names without '--' (port=8080); "
                    + "the environment and the command line win over it."));

    public static final Setting<Integer> PORT = define(Setting.of("port", Type.integer(0, 65535)).withLabel("<PORT>")
            .withDefault(8080)
            .withHelp("Port to listen on; 0 picks a free one."));

    public static final Setting<String> BIND = define(Setting.of("bind", Type.text()
                    .where(v -> !v.isBlank(), "must be a host name or IP address")).withLabel("<ADDRESS>")
            .withDefault("127.0.0.1")
            .withHelp("Address to listen on."));

    public static final Setting<Path> DATA_DIR = define(Setting.of("data-dir", Type.path()).withLabel("<DIR>")
            .withDefault(Path.of("jot-data")).alsoFor(ADMIN)
            .withHelp("Data directory: the embedded database and the master key file. 'jot serve' creates it."));

    public static final Setting<String> DB_URL = define(Setting.of("db-url", Type.text()
                    .where(u -> u.startsWith("jdbc:postgresql:") || u.startsWith("jdbc:h2:"),
                            "must start with jdbc:postgresql: or jdbc:h2:")).withLabel("<JDBC_URL>")
            .withComputedDefault("an H2 file in the data directory").alsoFor(ADMIN)
            .withHelp("jdbc:postgresql://host/db for PostgreSQL."));

    public static final Setting<String> DB_USER = define(Setting.of("db-user", Type.text()).withLabel("<USER>")
            .withDefault("").alsoFor(ADMIN)
            .withHelp("Database user."));

    public static final Setting<String> DB_PASSWORD = define(Setting.of("db-password", Type.text())
            .withLabel("<PASSWORD>").withDefault("").asSecret().alsoFor(ADMIN)
            .withHelp("Database password."));

    public static final Setting<String> ISSUER = define(Setting.of("issuer", Type.url())
            .withComputedDefault("http://localhost:<port>")
            .withHelp("The iss of issued tokens."));

    public static final Setting<String> AUDIENCE = define(Setting.of("audience", Type.text()
                    .where(v -> !v.isBlank(), "must not be blank")).withLabel("<AUD>")
            .withComputedDefault("the issuer")
            .withHelp("The aud of issued tokens."));

    public static final Setting<List<String>> API = define(Setting.of("api", Type.list(Type.url()
                    .where(u -> u.length() <= 2000, "must be at most 2000 characters"), ","))
            .withLabel("<URL>").withComputedDefault("none: tokens are for --audience")
            .withHelp("An API tokens may be issued for (RFC 8707 resource, or audience), repeatable; the first "
                    + "is the default aud."));

    public static final Setting<List<String>> USER_SCOPES = define(Setting.of("user-scopes", Type.list(Type.text()
                    .where(s -> ScopeToken.isValid(s) && !s.equals(ScopeToken.ADMIN) && !s.startsWith("jot:"),
                            "must be RFC 6749 scope values, not 'admin' nor 'jot:...'"), " "))
            .withLabel("<SCOPE>").withDefault(List.of("profile"))
            .withHelp("The scopes users' tokens (and their API keys) may carry; a login gets all of them "
                    + "unless it asks for fewer. GET /me needs 'profile'."));

    public static final Setting<Algorithm> SIGNING_ALG = define(Setting.of("signing-alg", Type.oneOf(
                    List.of(Algorithm.RS256, Algorithm.ES256, Algorithm.EdDSA, Algorithm.HS256), Algorithm::jwsName))
            .withLabel("<ALG>").withDefault(Algorithm.RS256)
            .withHelp("The signing algorithm; HS256 signs with JOT_HMAC_SECRET instead of generated keys."));

    public static final Setting<byte[]> HMAC_SECRET = define(Setting.of("hmac-secret",
                    Type.base64url(32, Integer.MAX_VALUE))
            .environmentOnly()
            .withHelp("The key for --signing-alg HS256."));

    public static final Setting<byte[]> MASTER_KEY = define(Setting.of("master-key", Type.base64url(32, 32))
            .environmentOnly().withComputedDefault("master.key in the data directory (created)")
            .withHelp("Encrypts the private signing keys at rest."));

    public static final Setting<Duration> ACCESS_TOKEN_TTL = define(Setting.of("access-token-ttl",
                    Type.duration(Duration.ofSeconds(10), Duration.ofHours(24)))
            .withDefault(Duration.ofMinutes(15))
            .withHelp("Access token lifetime, e.g. 90s, 15m, 1h."));

    /** RFC 9068 §2.1's media type for JWT access tokens: the default {@code typ}. */
    public static final String AT_JWT = "at+jwt";

    public static final Setting<String> ACCESS_TOKEN_TYPE = define(Setting.of("access-token-type",
                    Type.oneOf(List.of(AT_JWT, "JWT"), t -> t)).withLabel("<TYP>")
            .withDefault(AT_JWT)
            .withHelp("The typ header of access tokens: at+jwt (RFC 9068), or JWT for resource servers that accept "
                    + "nothing else, such as a stock Spring Boot one. With JWT, Jot's own routes accept both."));

    public static final Setting<Duration> KEY_ROTATION = define(Setting.of("key-rotation",
                    Type.duration(Duration.ofHours(1), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(30))
            .withHelp("How long a signing key signs before the next one takes over; at least twice "
                    + "--access-token-ttl."));

    public static final Setting<Duration> REFRESH_TOKEN_TTL = define(Setting.of("refresh-token-ttl",
                    Type.duration(Duration.ofMinutes(1), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(30))
            .withHelp("Lifetime of one refresh token (each refresh issues a new one)."));

    public static final Setting<Duration> SESSION_LIFETIME = define(Setting.of("session-lifetime",
                    Type.duration(Duration.ofMinutes(1), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(90))
            .withHelp("How long one login can be renewed by refreshing, at most; at least --refresh-token-ttl."));

    public static final Setting<Duration> REFRESH_REUSE_GRACE = define(Setting.of("refresh-reuse-grace",
                    Type.duration(Duration.ZERO, Duration.ofMinutes(5)))
            .withDefault(Duration.ofSeconds(10))
            .withHelp("A spent refresh token retried within this window gets the session's current tokens; "
                    + "after it, reuse ends the session. 0s disables the window."));

    public static final Setting<Duration> API_KEY_MAX_LIFETIME = define(Setting.of("api-key-max-lifetime",
                    Type.duration(Duration.ofDays(1), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(365))
            .withHelp("The longest expires_in an API key may ask for; a key that names none gets this."));

    public static final Setting<Registration> REGISTRATION = define(Setting.of("registration",
                    Type.oneOf(Registration.class))
            .withDefault(Registration.OPEN)
            .withHelp("Whether anyone may POST /register (open), or only admins create accounts (closed)."));

    public static final Setting<String> ADMIN_USERNAME = define(Setting.of("admin-username", Type.text())
            .environmentOnly()
            .withHelp("With JOT_ADMIN_PASSWORD: the admin account created at start when no user is an admin."));

    public static final Setting<String> ADMIN_PASSWORD = define(Setting.of("admin-password", Type.text())
            .environmentOnly()
            .withHelp("The password of JOT_ADMIN_USERNAME's account when it is created (only then)."));

    // OWASP's password-storage baseline: 19 MiB, 2 iterations, 1 lane
    // (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id). The upper
    // bounds keep a typo from exhausting the host; RFC 9106 §3.1 wants at least 8 KiB per lane (Argon2Params).
    public static final Setting<Integer> ARGON2_MEMORY_KIB = define(Setting.of("argon2-memory-kib",
                    Type.integer(8, 4 * 1024 * 1024, "KiB")).withLabel("<KIB>")
            .withDefault(19 * 1024).withAliases("--memory-kib").alsoFor(HASH_COST)
            .withHelp("Argon2id memory per password hash. Every login pays one hash: 'jot hash-cost' shows "
                    + "the cost."));

    public static final Setting<Integer> ARGON2_ITERATIONS = define(Setting.of("argon2-iterations",
                    Type.integer(1, 100))
            .withDefault(2).withAliases("--iterations").alsoFor(HASH_COST)
            .withHelp("Argon2id passes over the memory."));

    public static final Setting<Integer> ARGON2_PARALLELISM = define(Setting.of("argon2-parallelism",
                    Type.integer(1, 16))
            .withDefault(1).withAliases("--parallelism").alsoFor(HASH_COST)
            .withHelp("Argon2id lanes."));

    // ---- brute force (throttle): growing delays, never a lockout; see the README's "Brute force" section ----

    public static final Setting<Integer> THROTTLE_ACCOUNT_FREE = define(Setting.of("throttle-account-free",
                    Type.integer(1, 1000))
            .withDefault(5)
            .withHelp("Failed password checks per account, known or not, before delays begin (1s, doubling)."));

    public static final Setting<Integer> THROTTLE_ADDRESS_FREE = define(Setting.of("throttle-address-free",
                    Type.integer(1, 1_000_000))
            .withDefault(50)
            .withHelp("Failed password checks per client address before delays begin."));

    public static final Setting<Integer> THROTTLE_REGISTER_FREE = define(Setting.of("throttle-register-free",
                    Type.integer(1, 1_000_000))
            .withDefault(20)
            .withHelp("Registrations per client address in a day before delays begin."));

    public static final Setting<Duration> THROTTLE_MAX_DELAY = define(Setting.of("throttle-max-delay",
                    Type.duration(Duration.ofSeconds(1), Duration.ofDays(1)))
            .withDefault(Duration.ofMinutes(15))
            .withHelp("The longest delay the throttle asks for."));

    // ---- admission control for password hashing ----

    public static final Setting<Integer> HASH_MEMORY_MIB = define(Setting.of("hash-memory-mib",
                    Type.integer(1, 1024 * 1024, "MiB")).withLabel("<MIB>")
            .withDefault(256)
            .withHelp("Memory for password hashes at once: at most this / --argon2-memory-kib hashes run "
                    + "together (and at most one per core)."));

    public static final Setting<Integer> HASH_QUEUE = define(Setting.of("hash-queue", Type.integer(0, 100_000))
            .withDefault(64)
            .withHelp("Password checks that may wait for a hashing slot; more are answered 503 at once."));

    public static final Setting<Duration> HASH_DEADLINE = define(Setting.of("hash-deadline",
                    Type.duration(Duration.ofSeconds(1), Duration.ofMinutes(5)))
            .withDefault(Duration.ofSeconds(5))
            .withHelp("How long a password check may wait for a hashing slot before a 503."));

    // ---- the network: connections, TLS, proxies ----

    public static final Setting<Integer> MAX_CONNECTIONS = define(Setting.of("max-connections",
                    Type.integer(1, 1_000_000))
            .withDefault(1000)
            .withHelp("Open connections at most; more wait to be accepted (slow clients cannot take them all)."));

    public static final Setting<Path> TLS_CERT = define(Setting.of("tls-cert", Type.path()).withLabel("<PEM>")
            .withHelp("Certificate chain (PEM) to serve HTTPS with; reloaded when the file changes."));

    public static final Setting<Path> TLS_KEY = define(Setting.of("tls-key", Type.path()).withLabel("<PEM>")
            .withHelp("The certificate's private key (PEM, PKCS#8 unencrypted)."));

    public static final Setting<Boolean> HSTS = define(Setting.of("hsts", Type.flag())
            .withDefault(false)
            .withHelp("Send Strict-Transport-Security (1 year) on HTTPS answers."));

    public static final Setting<Boolean> BEHIND_PROXY = define(Setting.of("behind-proxy", Type.flag())
            .withDefault(false)
            .withHelp("A TLS-terminating proxy is in front: plain HTTP on a public address is allowed."));

    public static final Setting<Boolean> INSECURE_HTTP = define(Setting.of("insecure-http", Type.flag())
            .withDefault(false)
            .withHelp("Allow plain HTTP on a public address without a proxy (passwords travel in clear)."));

    public static final Setting<List<String>> TRUSTED_PROXIES = define(Setting.of("trusted-proxies",
                    Type.list(Type.text().where(v -> Cidr.parse(v).isPresent(),
                            "must be an IP address or CIDR block"), ",")).withLabel("<CIDR>")
            .withDefault(List.of())
            .withHelp("Peers whose Forwarded / X-Forwarded-For / -Proto headers are believed."));

    // ---- retention ----

    public static final Setting<Duration> AUDIT_RETENTION = define(Setting.of("audit-retention",
                    Type.duration(Duration.ofDays(1), Duration.ofDays(36500)))
            .withDefault(Duration.ofDays(365))
            .withHelp("How long audit rows are kept."));

    public static final Setting<Duration> SPENT_TOKEN_RETENTION = define(Setting.of("spent-token-retention",
                    Type.duration(Duration.ofHours(1), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(30))
            .withHelp("How long a spent refresh token is kept to detect its reuse."));

    public static final Setting<Duration> ENDED_SESSION_RETENTION = define(Setting.of("ended-session-retention",
                    Type.duration(Duration.ofMinutes(1), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(1))
            .withHelp("How long an ended or expired session is kept."));

    public static final Setting<Integer> MAX_SESSIONS_PER_USER = define(Setting.of("max-sessions-per-user",
                    Type.integer(1, 100_000))
            .withDefault(100)
            .withHelp("Live sessions per user; a new login ends the oldest beyond this."));

    public static final Setting<Duration> USAGE_MINUTE_RETENTION = define(Setting.of("usage-minute-retention",
                    Type.duration(Duration.ofHours(1), Duration.ofDays(31)))
            .withDefault(Duration.ofHours(48))
            .withHelp("How long usage is kept per minute before it is rolled up to hours (whole UTC days: "
                    + "PostgreSQL drops a day's partition)."));

    public static final Setting<Duration> USAGE_HOUR_RETENTION = define(Setting.of("usage-hour-retention",
                    Type.duration(Duration.ofDays(2), Duration.ofDays(3650)))
            .withDefault(Duration.ofDays(90))
            .withHelp("How long usage is kept per hour before it is rolled up to days (kept for good)."));

    public static final Setting<Duration> USAGE_INTERVAL = define(Setting.of("usage-interval",
                    Type.duration(Duration.ofSeconds(1), Duration.ofHours(1)))
            .withDefault(Duration.ofSeconds(10))
            .withHelp("How often the server stores what its own guard counted on its routes (a resource server's "
                    + "guard ships on its own interval); the last counts are stored at shutdown."));

    public static final Setting<Integer> DEFAULT_RATE_PER_MINUTE = define(Setting.of("default-rate-per-minute",
                    Type.integer(1, Integer.MAX_VALUE)).withLabel("<N>")
            .withHelp("Requests per minute a user or machine credential may make (enforced by guards); unset: "
                    + "no limit. An admin's quota for one bucket wins."));

    public static final Setting<Integer> DEFAULT_DAILY_QUOTA = define(Setting.of("default-daily-quota",
                    Type.integer(1, Integer.MAX_VALUE)).withLabel("<N>")
            .withHelp("Requests per UTC day a user or machine credential may make; unset: no quota."));

    public static final Setting<Integer> DEFAULT_MONTHLY_QUOTA = define(Setting.of("default-monthly-quota",
                    Type.integer(1, Integer.MAX_VALUE)).withLabel("<N>")
            .withHelp("Requests per UTC month a user or machine credential may make; unset: no quota."));

    // ---- operations: metrics, shutdown, logs ----

    public static final Setting<String> METRICS_TOKEN = define(Setting.of("metrics-token", Type.text()
                    .where(v -> v.length() >= 16 && v.length() <= 512 && v.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                            "must be 16 to 512 visible ASCII characters"))
            .withLabel("<TOKEN>").asSecret()
            .withComputedDefault("none: GET /metrics answers loopback clients only")
            .withHelp("A bearer token that GET /metrics asks of every scraper (Authorization: Bearer <TOKEN>)."));

    public static final Setting<Duration> SHUTDOWN_GRACE = define(Setting.of("shutdown-grace",
                    Type.duration(Duration.ZERO, Duration.ofMinutes(10)))
            .withDefault(Duration.ofSeconds(20))
            .withHelp("On SIGTERM, how long requests in progress may take to finish once no new connection is "
                    + "accepted; then they are cut."));

    public static final Setting<LogFormat> LOG_FORMAT = define(Setting.of("log-format", Type.oneOf(LogFormat.class))
            .withDefault(LogFormat.TEXT)
            .withHelp("How log lines are written: text (readable), or json (one JSON object per line, with the "
                    + "request's id in mdc.request_id)."));

    public static final Setting<Boolean> ACCESS_LOG = define(Setting.of("access-log", Type.flag())
            .withDefault(true)
            .withHelp("One log line per request (logger dev.jot.access): method, route, status, bytes, duration, "
                    + "request id, client address; never query strings, tokens or cookies."));

    /** Every setting, in the order they are written above. */
    public static final List<Setting<?>> ALL = List.copyOf(DEFINED);

    private Settings() {
    }

    private static <T> Setting<T> define(Setting<T> setting) {
        if (DEFINED.stream().anyMatch(s -> s.name().equals(setting.name()))) {
            throw new IllegalStateException("two settings named " + setting.name());
        }
        DEFINED.add(setting);
        return setting;
    }

    /** The setting a config file key names. */
    public static Optional<Setting<?>> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The setting an environment variable sets. */
    public static Optional<Setting<?>> byVariable(String variable) {
        return ALL.stream().filter(s -> s.variable().equals(variable)).findFirst();
    }

    /** The settings {@code command} offers as options (and lists in its help), in order. */
    public static List<Setting<?>> offeredBy(Setting.Command command) {
        return ALL.stream().filter(s -> s.offeredBy(command)).toList();
    }
}
