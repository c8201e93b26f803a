package dev.jot.cli;

import dev.jot.server.JotServer;
import dev.jot.server.StartupException;
import dev.jot.server.config.ConfigException;
import dev.jot.server.config.ServerConfig;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot serve}: runs the auth server until the process is stopped. Every option is also an environment
 * variable ({@code JOT_*}); an option given on the command line wins over the environment, which wins over the
 * default. A bad value stops the start with a message naming both spellings (exit 2).
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Run the Jot auth server (embedded H2 database in the data directory unless --db-url says otherwise).",
                "Each option can also be set through the environment variable in brackets."},
        footer = {"", "Set through the environment only (secrets stay off the command line):",
                "  JOT_MASTER_KEY   32 bytes, base64url: encrypts the private signing keys.",
                "                   Default: master.key in the data directory (created).",
                "  JOT_HMAC_SECRET  32+ bytes, base64url: the key for --signing-alg HS256.",
                "  JOT_ARGON2_MEMORY_KIB, JOT_ARGON2_ITERATIONS, JOT_ARGON2_PARALLELISM",
                "                   Password hashing cost. Default: 19456, 2, 1 (OWASP).",
                "                   'jot hash-cost' shows what a setting costs per login.",
                "  JOT_JAVA_OPTS    Extra JVM options for the ./jot launcher."})
public final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "<PORT>", description = "[JOT_PORT] Port to listen on; 0 picks a free one. Default: 8080.")
    private String port;

    @Option(names = "--bind", paramLabel = "<ADDRESS>", description = "[JOT_BIND] Address to listen on. Default: 127.0.0.1.")
    private String bind;

    @Option(names = "--data-dir", paramLabel = "<DIR>", description = "[JOT_DATA_DIR] Data directory (created if missing). Default: ./jot-data.")
    private String dataDir;

    @Option(names = "--db-url", paramLabel = "<JDBC_URL>",
            description = "[JOT_DB_URL] jdbc:postgresql://... for PostgreSQL. Default: an H2 file in the data directory.")
    private String dbUrl;

    @Option(names = "--db-user", paramLabel = "<USER>", description = "[JOT_DB_USER] Database user.")
    private String dbUser;

    @Option(names = "--db-password", paramLabel = "<PASSWORD>",
            description = "[JOT_DB_PASSWORD] Database password (prefer the environment variable: command lines are visible to other users).")
    private String dbPassword;

    @Option(names = "--issuer", paramLabel = "<URL>", description = "[JOT_ISSUER] The iss of issued tokens. Default: http://localhost:<port>.")
    private String issuer;

    @Option(names = "--audience", paramLabel = "<AUD>", description = "[JOT_AUDIENCE] The aud of issued tokens. Default: the issuer.")
    private String audience;

    @Option(names = "--access-token-ttl", paramLabel = "<DURATION>",
            description = "[JOT_ACCESS_TOKEN_TTL] Access token lifetime, e.g. 90s, 15m, 1h. Default: 15m.")
    private String accessTokenTtl;

    @Option(names = "--signing-alg", paramLabel = "<ALG>",
            description = "[JOT_SIGNING_ALG] RS256, ES256, EdDSA, or HS256 (needs JOT_HMAC_SECRET, 32+ bytes base64url). Default: RS256.")
    private String signingAlg;

    @Option(names = "--refresh-token-ttl", paramLabel = "<DURATION>",
            description = "[JOT_REFRESH_TOKEN_TTL] Lifetime of one refresh token (each refresh issues a new one). Default: 30d.")
    private String refreshTokenTtl;

    @Option(names = "--session-lifetime", paramLabel = "<DURATION>",
            description = "[JOT_SESSION_LIFETIME] How long one login can be renewed by refreshing, at most. Default: 90d.")
    private String sessionLifetime;

    @Option(names = "--refresh-reuse-grace", paramLabel = "<DURATION>",
            description = "[JOT_REFRESH_REUSE_GRACE] A spent refresh token retried within this window gets the session's current tokens; after it, reuse ends the session. 0s disables. Default: 10s.")
    private String refreshReuseGrace;

    @Option(names = "--key-rotation", paramLabel = "<DURATION>",
            description = "[JOT_KEY_ROTATION] How long a signing key signs before the next one takes over. Default: 30d.")
    private String keyRotation;

    /**
     * Option name for each environment variable: how the options reach the configuration, and how an error
     * names both spellings.
     */
    private static final Map<String, String> OPTION_OF = Map.ofEntries(
            Map.entry("JOT_PORT", "--port"), Map.entry("JOT_BIND", "--bind"), Map.entry("JOT_DATA_DIR", "--data-dir"),
            Map.entry("JOT_DB_URL", "--db-url"), Map.entry("JOT_DB_USER", "--db-user"),
            Map.entry("JOT_DB_PASSWORD", "--db-password"), Map.entry("JOT_ISSUER", "--issuer"),
            Map.entry("JOT_AUDIENCE", "--audience"), Map.entry("JOT_ACCESS_TOKEN_TTL", "--access-token-ttl"),
            Map.entry("JOT_SIGNING_ALG", "--signing-alg"), Map.entry("JOT_REFRESH_TOKEN_TTL", "--refresh-token-ttl"),
            Map.entry("JOT_SESSION_LIFETIME", "--session-lifetime"),
            Map.entry("JOT_REFRESH_REUSE_GRACE", "--refresh-reuse-grace"), Map.entry("JOT_KEY_ROTATION", "--key-rotation"));

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = config();
        JotServer server;
        try {
            server = JotServer.start(config);
        } catch (StartupException e) {
            throw ServerErrors.of(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Jot listening on " + server.baseUrl() + " (issuer " + server.services().tokens().issuer() + ")");
        out.println("database: " + server.services().database().url());
        out.println("data directory: " + server.dataDirectory());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jot-shutdown"));
        jot.awaitStop();
        server.close();
        return Exit.OK;
    }

    /** Every option given on the command line, by the variable it stands for (null = not given). */
    private ServerConfig config() {
        Map<String, String> given = new HashMap<>();
        OPTION_OF.forEach((variable, option) -> given.put(variable, spec.findOption(option).getValue()));
        return config(jot.environment(), given);
    }

    /**
     * The configuration from the environment with the {@code given} options (by variable name; null = not given)
     * on top; a bad value is a usage error naming both spellings. Shared with {@code jot admin}.
     */
    static ServerConfig config(Map<String, String> environment, Map<String, String> given) {
        Map<String, String> env = new HashMap<>(environment);
        given.forEach((k, v) -> {
            if (v != null) {
                env.put(k, v);
            }
        });
        try {
            return ServerConfig.fromEnv(env);
        } catch (ConfigException e) {
            String option = OPTION_OF.get(e.option());
            String name = option == null ? e.option() : option + " (" + e.option() + ")";
            String why = e.getMessage().startsWith(e.option() + ": ")
                    ? e.getMessage().substring(e.option().length() + 2) : e.getMessage();
            throw CliError.usage(name + ": " + why);
        }
    }
}
